// The kiosk's shared state, as module-level signals. Screens read these and call the functions in
// actions.ts; nothing else writes them. Derived values are `computed`, never copies.
import { computed, signal } from "@preact/signals";
import type { Good, KioskMe, MarketHours, Receipt, StaffUser } from "../api-types.ts";
import { basketCount, basketTotalPoints, type Basket } from "../logic/basket.ts";
import type { SubmitState } from "../logic/submit.ts";
import type { MessageKey } from "../i18n/index.ts";

export type Screen =
  | "boot"
  | "unpaired"
  | "locked"
  | "attract"
  | "scan"
  | "household"
  | "goods"
  | "review"
  | "receipt"
  | "staff-login"
  | "staff";

export interface Household {
  /** The code as read (token or card number): the redemption's `cardToken`. */
  code: string;
  householdId: string;
  displayName: string;
  balance: number;
  /** The honour score (荣誉积分, issue 18): shown smaller beside the balance; null when not known. */
  honourScore?: number | null;
  /** Stars the honour score reaches; null where the village rates no stars. */
  star?: number | null;
  /** The card was typed as its number and the village asks for the household's PIN on a sale. */
  pinRequired?: boolean;
  /** Redemptions suspended (一票否决) until this Beijing day, and by which rule; absent or null when not. */
  suspendedUntil?: string | null;
  suspendedRule?: string | null;
}

export type ScanStatus = "idle" | "looking" | "not-found" | "not-a-card" | "network" | "too-many";

export interface RecentSale {
  id: string;
  receiptNo: string;
  totalPoints: number;
  householdName: string;
  createdAt: string;
  voided: boolean;
}

export const screen = signal<Screen>("boot");
export const token = signal<string | null>(null);
export const me = signal<KioskMe | null>(null);
export const goods = signal<Good[] | null>(null);
export const household = signal<Household | null>(null);
export const basket = signal<Basket>({});
export const submit = signal<SubmitState<Receipt>>({ phase: "idle" });
export const reviewNotice = signal<MessageKey | null>(null);
export const receipt = signal<Receipt | null>(null);
export const receiptShownAtMs = signal(0);
export const scanStatus = signal<ScanStatus>("idle");
/** The scan screen with the camera and the number pad, or the number pad alone (no card to show). */
export const scanKeypadOnly = signal(false);
export const online = signal(true);
export const muted = signal(false);
export const autoPrint = signal(false);
export const staffUser = signal<StaffUser | null>(null);
/** The household's PIN is being asked before the sale (components/PinStep.tsx). */
export const pinAsked = signal(false);
export const recent = signal<RecentSale[]>([]);
/** When the village's supermarket is open (issue 18); null until asked, or when it could not be. */
export const market = signal<MarketHours | null>(null);
/** Wall-clock time, ticked once a second for countdowns (page.clock drives it in tests). */
export const nowMs = signal(Date.now());
export const lastActivityMs = signal(Date.now());
/** When the idle question is up: the time the visit will be cleared. */
export const idleDeadlineMs = signal<number | null>(null);

export const totalPoints = computed(() => basketTotalPoints(basket.value, goods.value ?? []));
export const itemCount = computed(() => basketCount(basket.value));
export const balanceAfter = computed(() => (household.value?.balance ?? 0) - totalPoints.value);
/** Closed now, by the last answer and the clock: it opens again at opensAt, closes at closesAt. */
export const marketClosed = computed(() => {
  const m = market.value;
  if (m === null) return false;
  if (m.open) return m.closesAt !== null && nowMs.value >= Date.parse(m.closesAt);
  return m.opensAt === null || nowMs.value < Date.parse(m.opensAt);
});
export const submitting = computed(
  () => submit.value.phase === "sending" || submit.value.phase === "unknown",
);
