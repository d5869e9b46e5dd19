// The shapes the kiosk reads from the server, as the server's own zod schemas declare them
// (import type only: nothing of the server reaches the bundle). A change on the server that the
// kiosk does not follow fails the typecheck. `Receipt` below is the kiosk's view of a receipt
// (its number already formatted for print), built by `parseReceipt` from the server's answer.
import type { z } from "zod";
import type { KioskMeSchema } from "../src/auth/kiosk-routes.ts";
import type { UserSchema } from "../src/auth/routes.ts";
import type { KioskCardSchema } from "../src/market/kiosk-card-routes.ts";
import type { LineSchema } from "../src/market/redemption-routes.ts";
import type { MarketHoursSchema } from "../src/market/market-hours-routes.ts";
import type { Good } from "./logic/basket.ts";

export type { Good };

export type KioskMe = z.infer<typeof KioskMeSchema>;

/** The kiosk reads no more of a card than this. The honour score is null if a server does not send it (then it is not shown). */
export type CardLookup = Pick<
  z.infer<typeof KioskCardSchema>,
  "householdId" | "displayName" | "balance" | "pinRequired" | "suspendedUntil" | "suspendedRule"
> & { honourScore: number | null; star: number | null };

/** Whether the village's supermarket is open now, and when it next opens or closes (issue 18). */
export type MarketHours = Pick<z.infer<typeof MarketHoursSchema>, "open" | "opensAt" | "closesAt">;

export type ReceiptItem = z.infer<typeof LineSchema>;

export interface Receipt {
  id: string;
  receiptNo: string;
  totalPoints: number;
  balanceAfter: number;
  items: ReceiptItem[];
  createdAt: string;
  householdName: string;
  villageName: string;
  voided?: boolean;
}

export type StaffUser = Pick<z.infer<typeof UserSchema>, "id" | "username" | "role" | "villageId">;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}
const str = (v: unknown): v is string => typeof v === "string";
const int = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

export function parseMe(v: unknown): KioskMe | null {
  if (!isObj(v) || !isObj(v.kiosk) || !isObj(v.village)) return null;
  const { kiosk, village } = v;
  if (!str(kiosk.id) || !str(village.id)) return null;
  return {
    kiosk: { id: kiosk.id, name: str(kiosk.name) ? kiosk.name : "" },
    village: { id: village.id, name: str(village.name) ? village.name : "" },
  };
}

export function parseGoods(v: unknown): Good[] | null {
  if (!isObj(v) || !Array.isArray(v.items)) return null;
  const out: Good[] = [];
  for (const g of v.items as unknown[]) {
    if (!isObj(g) || !str(g.id) || !str(g.name) || !int(g.pricePoints) || !int(g.stock)) continue;
    out.push({
      id: g.id,
      name: g.name,
      pricePoints: g.pricePoints,
      stock: g.stock,
      category: str(g.category) ? g.category : null,
      imageUrl:
        str(g.imageUrl) && g.imageUrl.startsWith("/") && !g.imageUrl.startsWith("//")
          ? g.imageUrl
          : null,
      active: g.active !== false,
    });
  }
  return out;
}

export function parseCard(v: unknown): CardLookup | null {
  if (!isObj(v) || !str(v.householdId) || !int(v.balance)) return null;
  return {
    householdId: v.householdId,
    displayName: str(v.displayName) ? v.displayName : "",
    balance: v.balance,
    pinRequired: v.pinRequired === true,
    honourScore: int(v.honourScore) ? v.honourScore : null,
    star: int(v.star) ? v.star : null,
    suspendedUntil:
      str(v.suspendedUntil) && /^\d{4}-\d{2}-\d{2}$/.test(v.suspendedUntil)
        ? v.suspendedUntil
        : null,
    suspendedRule: str(v.suspendedRule) ? v.suspendedRule : null,
  };
}

export function parseMarketHours(v: unknown): MarketHours | null {
  if (!isObj(v) || typeof v.open !== "boolean") return null;
  return {
    open: v.open,
    opensAt: str(v.opensAt) ? v.opensAt : null,
    closesAt: str(v.closesAt) ? v.closesAt : null,
  };
}

export function parseReceipt(v: unknown): Receipt | null {
  if (
    !isObj(v) ||
    !str(v.id) ||
    !int(v.totalPoints) ||
    !int(v.balanceAfter) ||
    !Array.isArray(v.items)
  )
    return null;
  const items: ReceiptItem[] = [];
  for (const it of v.items as unknown[]) {
    if (!isObj(it) || !int(it.quantity)) return null;
    items.push({
      goodsId: str(it.goodsId) ? it.goodsId : "",
      name: str(it.name) ? it.name : "",
      quantity: it.quantity,
      pricePoints: int(it.pricePoints) ? it.pricePoints : 0,
      points: int(it.points) ? it.points : 0,
    });
  }
  return {
    id: v.id,
    // The server numbers receipts per village as an integer; print it as its own receipt page
    // does (6 digits), never fall back to the row id, which is not the number on the paper.
    receiptNo: int(v.receiptNo)
      ? String(v.receiptNo).padStart(6, "0")
      : str(v.receiptNo)
        ? v.receiptNo
        : v.id,
    totalPoints: v.totalPoints,
    balanceAfter: v.balanceAfter,
    items,
    createdAt: str(v.createdAt) ? v.createdAt : new Date(0).toISOString(),
    householdName: str(v.householdName) ? v.householdName : "",
    villageName: str(v.villageName) ? v.villageName : "",
    ...(typeof v.voided === "boolean" ? { voided: v.voided } : {}),
  };
}

const STAFF_ROLES: readonly StaffUser["role"][] = ["township_admin", "village_admin", "clerk"];
const isRole = (v: unknown): v is StaffUser["role"] => STAFF_ROLES.includes(v as StaffUser["role"]);

export function parseUser(v: unknown): StaffUser | null {
  const u = isObj(v) && isObj(v.user) ? v.user : null;
  if (u === null || !str(u.id) || !str(u.username) || !isRole(u.role)) return null;
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    villageId: str(u.villageId) ? u.villageId : null,
  };
}
