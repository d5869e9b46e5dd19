// What the staff pages read from the server, as the server's own zod schemas declare it (import
// type only: nothing of the server reaches the bundle), so a change on the server that the pages
// do not follow fails the typecheck.
import type { z } from "zod";
import type { UserSchema } from "../src/auth/routes.ts";
import type { VillageSchema } from "../src/villages/routes.ts";
import type { HouseholdSchema } from "../src/villages/household-routes.ts";
import type { EntryOut } from "../src/ledger/entry-schemas.ts";

export type User = z.infer<typeof UserSchema>;
export type Role = User["role"];
export type Village = z.infer<typeof VillageSchema>;
export type Household = z.infer<typeof HouseholdSchema>;
export type Entry = EntryOut;

export type Page<T> = { items: T[]; nextCursor: string | null };

export type Rule = {
  id: string;
  villageId: string;
  code: string;
  title: string;
  category: string;
  points: number;
  monthlyCap: number | null;
  active: boolean;
  createdAt: string;
};

export type RuleTemplate = Omit<Rule, "villageId" | "active">;

export type Today = {
  toApprove: number;
  ownProposed: number;
  claims: number;
  objections: number;
  noticesEndingSoon: number;
  lowStock: { id: string; name: string; stock: number; lowStockThreshold: number }[];
  month: { month: string; awarded: number; deducted: number; redeemed: number; activeHouseholds: number; households: number };
};

export type MatchedHousehold = Pick<Household, "id" | "headName" | "address" | "balance" | "card">;
export type MatchItem = { input: string; status: "matched" | "ambiguous" | "none"; households: MatchedHousehold[] };

export type Objection = { id: string; entryId: string; reason: string; createdAt: string; entry: Entry };

export type Card = { id: string; householdId: string; token: string; url: string; number: string; createdAt: string; revoked: boolean };

export type Goods = { id: string; villageId: string; name: string; pricePoints: number; stock: number; category: string | null; imageUrl: string | null; active: boolean; lowStockThreshold: number; low: boolean; createdAt: string; updatedAt: string };
export type StockSource = "donation" | "government" | "village" | "other";
export type Movement = { id: string; at: string; kind: "intake" | "write_off" | "sale" | "void" | "count"; delta: number; reason: string | null; source: StockSource | null; donor: string | null; by: string; redemptionId: string | null; stockAfter: number };

export type SaleLine = { goodsId: string; name: string; quantity: number; pricePoints: number; points: number };
export type Sale = {
  id: string;
  receiptNo: string | number;
  createdAt: string;
  occurredOn: string;
  householdId: string;
  householdName: string;
  kioskId: string | null;
  kioskName: string | null;
  seller: string;
  totalPoints: number;
  balanceAfter: number;
  items: SaleLine[];
  voided: boolean;
  voidedAt: string | null;
  voidReason: string | null;
  voidedBy: string | null;
};

export type Kiosk = { id: string; villageId: string; name: string; createdAt: string; lastSeenAt: string | null; revoked: boolean };
export type StaffUser = User & { lastSignInAt: string | null };

export type Figures = { awarded: number; deducted: number; redeemed: number; expired: number; net: number };
export type Ranked = { householdId: string; villageId: string; headName: string; earned: number };
export type Report = {
  from: string;
  to: string;
  totals: Figures;
  byMonth: (Figures & { month: string })[];
  byCategory: (Figures & { category: string })[];
  householdsActive: number;
  households?: { total: number; active: number };
  activeByMonth?: { month: string; active: number }[];
  honourBoard: { top: Ranked[]; bottom: Ranked[] | null };
  starHouseholds: (Ranked & { stars: number })[];
  goodsRedeemed: { points: number; items: { goodsId: string; name: string; quantity: number; points: number }[] };
  villages?: { villageId: string; name: string; households: number; activeHouseholds: number; participation: number; awarded: number; deducted: number; redeemed: number; pointsPerHousehold: number }[];
};

export type AuditRow = { id: string; at: string; actorKind: string; actorId: string | null; actorName: string | null; villageId: string | null; action: string; entity: string; entityId: string | null; detail: unknown; address: string | null };
