// What the staff pages read from the server, as the server's own zod schemas declare it (import
// type only: nothing of the server reaches the bundle), so a change on the server that the pages
// do not follow fails the typecheck.
import type { z } from "zod";
import type { UserSchema } from "../src/auth/routes.ts";
import type { VillageSchema } from "../src/villages/routes.ts";
import type { HouseholdSchema } from "../src/villages/household-routes.ts";
import type { EntryOut } from "../src/ledger/entry-schemas.ts";
import type { GoodsSchema, MovementSchema } from "../src/market/goods-routes.ts";
import type { SaleSchema } from "../src/market/redemption-routes.ts";
import type { KioskSchema } from "../src/auth/kiosk-routes.ts";
import type { ReportSchema } from "../src/reports/routes.ts";
import type { AuditItemSchema } from "../src/audit/audit-routes.ts";
import type { RoundDetailSchema, RoundSummarySchema } from "../src/rounds/round-schemas.ts";
import type { DeliverySchema } from "../src/market/delivery-routes.ts";
import type { SuspensionSchema } from "../src/ledger/suspension-routes.ts";
import type { OpeningHoursSchema } from "../src/shared/opening-hours.ts";
import type { MarketHoursSchema } from "../src/market/market-hours-routes.ts";

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
  /** Months a posted deduction under the rule suspends the household's redemptions (一票否决); templates have none. */
  suspendMonths?: number | null;
};

export type RuleTemplate = Omit<Rule, "villageId" | "active">;

export type Today = {
  toApprove: number;
  ownProposed: number;
  claims: number;
  objections: number;
  noticesEndingSoon: number;
  lowStock: { id: string; name: string; stock: number; lowStockThreshold: number }[];
  month: {
    month: string;
    awarded: number;
    deducted: number;
    redeemed: number;
    activeHouseholds: number;
    households: number;
  };
};

export type MatchedHousehold = Pick<Household, "id" | "headName" | "address" | "balance" | "card">;
export type MatchItem = {
  input: string;
  status: "matched" | "ambiguous" | "none";
  households: MatchedHousehold[];
};

export type Objection = {
  id: string;
  entryId: string;
  reason: string;
  createdAt: string;
  entry: Entry;
};

export type Card = {
  id: string;
  householdId: string;
  token: string;
  url: string;
  number: string;
  createdAt: string;
  revoked: boolean;
};

export type Goods = z.infer<typeof GoodsSchema>;
export type Movement = z.infer<typeof MovementSchema>;
export type StockSource = NonNullable<Movement["source"]>;
export type Sale = z.infer<typeof SaleSchema>;
export type Kiosk = z.infer<typeof KioskSchema>;
export type StaffUser = User;
export type Report = z.infer<typeof ReportSchema>;
export type AuditRow = z.infer<typeof AuditItemSchema>;

export type Delivery = z.infer<typeof DeliverySchema>;
export type Suspension = z.infer<typeof SuspensionSchema>;
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;
export type MarketHours = z.infer<typeof MarketHoursSchema>;

export type RoundSummary = z.infer<typeof RoundSummarySchema>;
export type RoundDetail = z.infer<typeof RoundDetailSchema>;
export type RoundRule = RoundDetail["round"]["rules"][number];
export type RoundHousehold = RoundDetail["round"]["households"][number];
export type RoundScore = RoundDetail["scores"][number];

export type SourceCounts = { donation: number; government: number; village: number; other: number };
export type StatementLine = {
  goodsId: string;
  name: string;
  opening: number;
  in: SourceCounts;
  donors: string[];
  sold: number;
  voided: number;
  writtenOff: number;
  countedDifference: number;
  closing: number;
};
export type MarketStatement = {
  month: string;
  villageId: string;
  lines: StatementLine[];
  totals: Omit<StatementLine, "goodsId" | "name" | "donors">;
  pointsRedeemed: number;
  sales: number;
  voids: number;
  signatures: { role: "clerk" | "village_admin"; userId: string; name: string; signedAt: string }[];
  frozen: boolean;
  frozenAt: string | null;
  digest: string | null;
};
export type PointsStatement = {
  id: string;
  number: string;
  code: string;
  householdId: string;
  issuedAt: string;
  honourScore: number;
  star: number;
  printUrl: string;
  verifyUrl: string;
  withdrawnAt?: string | null;
  withdrawnReason?: string | null;
};
