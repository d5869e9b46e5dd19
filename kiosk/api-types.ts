// The shapes the kiosk reads from the server (api.md, "The points supermarket"). When the server's
// zod schemas exist, these become `import type` of their inferred types.
import type { Good } from "./logic/basket.ts";

export type { Good };

export interface KioskMe {
  kiosk: { id: string; name: string };
  village: { id: string; name: string };
}

export interface CardLookup {
  householdId: string;
  displayName: string;
  balance: number;
}

export interface ReceiptItem {
  goodsId: string;
  name: string;
  quantity: number;
  pricePoints: number;
  points: number;
}

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

export interface StaffUser {
  id: string;
  username: string;
  role: string;
  villageId: string | null;
}

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
      imageUrl: str(g.imageUrl) && g.imageUrl.startsWith("/") && !g.imageUrl.startsWith("//") ? g.imageUrl : null,
      active: g.active !== false,
    });
  }
  return out;
}

export function parseCard(v: unknown): CardLookup | null {
  if (!isObj(v) || !str(v.householdId) || !int(v.balance)) return null;
  return { householdId: v.householdId, displayName: str(v.displayName) ? v.displayName : "", balance: v.balance };
}

export function parseReceipt(v: unknown): Receipt | null {
  if (!isObj(v) || !str(v.id) || !int(v.totalPoints) || !int(v.balanceAfter) || !Array.isArray(v.items)) return null;
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
    receiptNo: int(v.receiptNo) ? String(v.receiptNo).padStart(6, "0") : str(v.receiptNo) ? v.receiptNo : v.id,
    totalPoints: v.totalPoints,
    balanceAfter: v.balanceAfter,
    items,
    createdAt: str(v.createdAt) ? v.createdAt : new Date(0).toISOString(),
    householdName: str(v.householdName) ? v.householdName : "",
    villageName: str(v.villageName) ? v.villageName : "",
    ...(typeof v.voided === "boolean" ? { voided: v.voided } : {}),
  };
}

export function parseUser(v: unknown): StaffUser | null {
  const u = isObj(v) && isObj(v.user) ? v.user : null;
  if (u === null || !str(u.id) || !str(u.username)) return null;
  return { id: u.id, username: u.username, role: str(u.role) ? u.role : "", villageId: str(u.villageId) ? u.villageId : null };
}
