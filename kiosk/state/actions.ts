// What the kiosk does: pairing, reading a card, the basket, the idempotent submit, staff tasks.
// Screens call these; these call the server and write the signals in store.ts.
import { batch } from "@preact/signals";
import {
  parseCard,
  parseGoods,
  parseMarketHours,
  parseMe,
  parseReceipt,
  parseUser,
  type Good,
  type Receipt,
} from "../api-types.ts";
import { formatBeijingDay } from "../logic/when.ts";
import { lang, LANG_ORDER, nextLang, t } from "../i18n/index.ts";
import { addOne, basketItems, quantityOf, reconcileBasket, removeOne } from "../logic/basket.ts";
import type { Lang } from "../../ui/format.ts";
import { formatPoints } from "../../ui/format.ts";
import { createScanDeduper, parseScanText } from "../logic/scan-text.ts";
import {
  afterAttempt,
  keepsPending,
  keyForBody,
  parsePending,
  retryIfDue,
  startSubmit,
  type PendingSubmit,
  type RedemptionBody,
} from "../logic/submit.ts";
import { newUuid } from "../../ui/uuid.ts";
import { request } from "../../ui/http.ts";
import { drop, KEYS, load, save } from "./storage.ts";
import {
  autoPrint,
  basket,
  goods,
  household,
  lastActivityMs,
  market,
  me,
  muted,
  nowMs,
  online,
  pinAsked,
  receipt,
  receiptShownAtMs,
  recent,
  reviewNotice,
  scanKeypadOnly,
  scanStatus,
  screen,
  staffUser,
  submit,
  token,
  type RecentSale,
} from "./store.ts";
import { hush, speak } from "./voice.ts";

const BOOT_RETRY_MS = 5000;
const RECENT_MAX = 10;
const deduper = createScanDeduper();
let retryTimer: ReturnType<typeof setTimeout> | null = null;
/** The household's PIN for this visit's sale (typed card numbers only): in memory, never stored. */
let householdPin: string | null = null;

// ---------------------------------------------------------------- boot and pairing

/** Takes a pairing token out of the address bar into storage, then asks the server who we are. */
export function boot(): void {
  const url = new URL(location.href);
  const pair = url.searchParams.get("pair");
  if (pair !== null && pair !== "") {
    save(KEYS.token, pair);
    url.searchParams.delete("pair");
    history.replaceState(
      null,
      "",
      url.pathname + (url.search === "?" ? "" : url.search) + url.hash,
    );
  }
  token.value = load(KEYS.token);
  const storedLang = load(KEYS.lang);
  if (storedLang !== null && (LANG_ORDER as string[]).includes(storedLang))
    setLang(storedLang as Lang);
  else setLang("zh-CN");
  muted.value = load(KEYS.muted) === "1";
  autoPrint.value = load(KEYS.autoPrint) === "1";
  recent.value = readRecent();
  void loadMe();
}

async function loadMe(): Promise<void> {
  if (token.value === null) {
    screen.value = "unpaired";
    return;
  }
  const r = await request("/api/kiosk/me", { token: token.value });
  if (r.kind === "response" && r.status === 401) {
    screen.value = "locked";
    return;
  }
  const parsed = r.kind === "response" && r.status === 200 ? parseMe(r.body) : null;
  if (parsed === null) {
    setTimeout(() => void loadMe(), BOOT_RETRY_MS);
    return;
  }
  me.value = parsed;
  await loadMarketHours();
  startMarketHoursPoll();
  await loadGoods();
  const pending = parsePending(load(KEYS.pending));
  if (pending !== null) resumePending(pending);
  else screen.value = "attract";
}

export function retryBoot(): void {
  screen.value = "boot";
  token.value = load(KEYS.token);
  void loadMe();
}

function lockDevice(): void {
  batch(() => {
    household.value = null;
    basket.value = {};
    screen.value = "locked";
  });
}

const MARKET_HOURS_POLL_MS = 60_000;
let marketPoll: ReturnType<typeof setInterval> | null = null;

/** When the village's supermarket is open (issue 18): asked at start, then every minute. */
export async function loadMarketHours(): Promise<void> {
  const r = await request("/api/kiosk/market-hours", { token: token.value });
  const parsed = r.kind === "response" && r.status === 200 ? parseMarketHours(r.body) : null;
  if (parsed !== null) market.value = parsed;
}

function startMarketHoursPoll(): void {
  if (marketPoll !== null) return;
  marketPoll = setInterval(() => void loadMarketHours(), MARKET_HOURS_POLL_MS);
}

/** Staff signed in on the kiosk open the closed supermarket for one household's sale (issue 18). */
export function openForSale(): void {
  batch(() => {
    household.value = null;
    basket.value = {};
    goTo("scan");
  });
}

export async function loadGoods(): Promise<boolean> {
  const r = await request("/api/kiosk/goods", { token: token.value });
  if (r.kind === "response" && r.status === 401) {
    lockDevice();
    return false;
  }
  const list = r.kind === "response" && r.status === 200 ? parseGoods(r.body) : null;
  if (list === null) return false;
  goods.value = list.filter((g) => g.active);
  return true;
}

// ---------------------------------------------------------------- language, voice, activity

export function setLang(l: Lang): void {
  lang.value = l;
  save(KEYS.lang, l);
  document.documentElement.lang = l;
  document.documentElement.dir = l === "ug" ? "rtl" : "ltr";
  document.title = t("app.title");
  hush();
}

export function cycleLang(): void {
  setLang(nextLang(lang.value));
}

export function toggleMute(): void {
  muted.value = !muted.value;
  save(KEYS.muted, muted.value ? "1" : "0");
  if (muted.value) hush();
}

export function touchActivity(nowMs: number): void {
  lastActivityMs.value = nowMs;
}

// ---------------------------------------------------------------- reading a card

/** Camera, scanner and keypad all end here. */
export function onScan(text: string, nowMs: number): void {
  const where = screen.value;
  if (where !== "attract" && where !== "scan") return;
  if (scanStatus.value === "looking") return;
  const code = parseScanText(text);
  if (code === null) {
    scanStatus.value = "not-a-card";
    screen.value = "scan";
    return;
  }
  if (!deduper.accept(code.code, nowMs)) return;
  touchActivity(nowMs);
  void lookupCard(code.code);
}

async function lookupCard(code: string): Promise<void> {
  scanStatus.value = "looking";
  const r = await request(`/api/kiosk/cards/${encodeURIComponent(code)}`, { token: token.value });
  if (r.kind === "response" && r.status === 401) {
    scanStatus.value = "idle";
    lockDevice();
    return;
  }
  if (r.kind === "response" && r.status === 429) {
    // Too many cards not found from this kiosk lately: the server waits a minute (card guessing).
    batch(() => {
      scanStatus.value = "too-many";
      screen.value = "scan";
    });
    return;
  }
  if (r.kind !== "response" || r.status >= 500) {
    online.value = r.kind === "response";
    batch(() => {
      scanStatus.value = "network";
      screen.value = "scan";
    });
    // No deduper.reset() here either: the same card scanned again within SCAN_REPEAT_MS (a
    // scanner's double read, a camera's next frames) is still one read, also after a failure.
    return;
  }
  const card = r.status === 200 ? parseCard(r.body) : null;
  if (card === null) {
    batch(() => {
      scanStatus.value = "not-found";
      screen.value = "scan";
    });
    // No deduper.reset() here: a camera sees an unknown card in every frame, and a reset made
    // the kiosk ask the server about it again every 120 ms for as long as it was held up. The
    // same card is asked about again once it has been out of sight for SCAN_REPEAT_MS.
    return;
  }
  batch(() => {
    household.value = {
      code,
      householdId: card.householdId,
      displayName: card.displayName,
      balance: card.balance,
      pinRequired: card.pinRequired,
      honourScore: card.honourScore,
      star: card.star,
      suspendedUntil: card.suspendedUntil,
      suspendedRule: card.suspendedRule,
    };
    basket.value = {};
    submit.value = { phase: "idle" };
    reviewNotice.value = null;
    scanStatus.value = "idle";
    screen.value = "household";
  });
  drop(KEYS.draft);
  householdPin = null;
  // A suspended household hears why and until when, not its balance to spend (issue 18).
  if (card.suspendedUntil !== null)
    speak(t("suspended.spoken", { until: formatBeijingDay(card.suspendedUntil, lang.value) }));
  else speak(householdSpoken(card.balance, card.honourScore, card.star));
  if (goods.value === null) void loadGoods();
}

/**
 * What a scan says: the balance to spend, then the honour score and its stars as the screen shows
 * them (no honour words when the score is not known, no star words below the first star).
 */
export function householdSpoken(
  balance: number,
  honourScore: number | null,
  star: number | null,
): string {
  const l = lang.value;
  const figures = { balance: formatPoints(balance, l) };
  if (honourScore === null) return t("household.spoken", figures);
  const honour = formatPoints(honourScore, l);
  if (star === null || star <= 0) return t("household.spokenHonour", { ...figures, honour });
  return t("household.spokenHonourStars", { ...figures, honour, stars: formatPoints(star, l) });
}

export function clearScanStatus(): void {
  if (scanStatus.value !== "looking") scanStatus.value = "idle";
}

// ---------------------------------------------------------------- the basket

export function goTo(
  next: "attract" | "scan" | "household" | "goods" | "review" | "staff-login",
): void {
  if (next === "goods" && goods.value === null) void loadGoods();
  if (next === "review") reviewNotice.value = null;
  if (next === "scan") {
    scanStatus.value = "idle";
    scanKeypadOnly.value = false;
  }
  screen.value = next;
}

/** The scan screen with the number pad alone, for a villager without a card or with a worn one. */
export function openKeypad(): void {
  batch(() => {
    goTo("scan");
    scanKeypadOnly.value = true;
  });
}

/** One more of a good (its + button, its picture or its name), said aloud as the screen shows it. */
export function addGood(good: Good): void {
  const h = household.value;
  if (h === null) return;
  const before = basket.value;
  basket.value = addOne(before, goods.value ?? [], good, h.balance);
  if (basket.value !== before)
    speak(t("goods.added", { name: good.name, count: quantityOf(basket.value, good.id) }));
}

export function removeGood(goodsId: string): void {
  basket.value = removeOne(basket.value, goodsId);
}

/** Clears the visit (household, basket, messages) and goes back to the attract screen. */
export function resetVisit(): void {
  if (keepsPending(submit.value)) return; // never mid-sale
  hush();
  deduper.reset();
  householdPin = null;
  pinAsked.value = false;
  drop(KEYS.draft);
  batch(() => {
    household.value = null;
    basket.value = {};
    submit.value = { phase: "idle" };
    reviewNotice.value = null;
    receipt.value = null;
    scanStatus.value = "idle";
    screen.value = "attract";
  });
  if (staffUser.value !== null) void staffLogout();
}

// ---------------------------------------------------------------- the idempotent submit

function currentBody(): RedemptionBody | null {
  const h = household.value;
  if (h === null) return null;
  const items = basketItems(basket.value, goods.value ?? []);
  return items.length === 0 ? null : { cardToken: h.code, items };
}

function readDraft(): { key: string; body: RedemptionBody } | null {
  const p = parsePending(load(KEYS.draft));
  return p === null ? null : { key: p.key, body: p.body };
}

export function confirmSale(nowMs: number): void {
  if (!online.value || keepsPending(submit.value)) return;
  const body = currentBody();
  const h = household.value;
  if (body === null || h === null) return;
  if (h.pinRequired === true && householdPin === null) {
    pinAsked.value = true;
    return;
  }
  // The key is bound to this exact basket and stored with it before anything is sent: if the
  // answer is lost, or the kiosk reloads, the same request goes out again and is charged once.
  const key = keyForBody(readDraft(), body, newUuid);
  const pending: PendingSubmit = { key, body, householdName: h.displayName, createdAtMs: nowMs };
  const json = JSON.stringify(pending);
  save(KEYS.draft, json);
  if (!save(KEYS.pending, json)) {
    // Without storage a reload would lose the outcome; still safe to send (the key protects a
    // retry in this page), so go on.
  }
  reviewNotice.value = null;
  submit.value = startSubmit(pending);
  void sendAttempt();
}

function resumePending(pending: PendingSubmit): void {
  const items: Record<string, number> = {};
  for (const it of pending.body.items) items[it.goodsId] = it.quantity;
  batch(() => {
    household.value = {
      code: pending.body.cardToken,
      householdId: "",
      displayName: pending.householdName,
      balance: 0,
    };
    basket.value = items;
    submit.value = startSubmit(pending);
    screen.value = "review";
  });
  void sendAttempt();
  // The balance shown while resuming comes from a fresh card read.
  void refreshBalance();
}

async function sendAttempt(): Promise<void> {
  const state = submit.value;
  if (state.phase !== "sending") return;
  const { pending } = state;
  const r = await request("/api/redemptions", {
    method: "POST",
    token: token.value,
    headers: { "Idempotency-Key": pending.key },
    // The PIN goes with the request but not into storage, and is not part of the key's body.
    body: householdPin === null ? pending.body : { ...pending.body, pin: householdPin },
  });
  const parsed =
    r.kind === "response" && (r.status === 200 || r.status === 201) ? parseReceipt(r.body) : null;
  const next = afterAttempt(
    state,
    r.kind === "response"
      ? { kind: "response", status: r.status, problemType: r.problemType, retryAfter: r.retryAfter }
      : r,
    parsed,
    Date.now(),
  );
  if (r.kind !== "response" || r.status >= 500) online.value = false;
  submit.value = next;
  if (keepsPending(next)) {
    scheduleRetry();
    return;
  }
  drop(KEYS.pending);
  if (next.phase === "done") return finishSale(next.receipt);
  drop(KEYS.draft);
  if (next.phase === "locked") return lockDevice();
  if (next.phase === "rejected")
    await onRejected(next.reason, r.kind === "response" ? problemCode(r.body) : null);
}

function problemCode(body: unknown): string | null {
  const code = typeof body === "object" && body !== null ? (body as { code?: unknown }).code : null;
  return typeof code === "string" ? code : null;
}

/** The PIN typed on the PIN step: the sale goes on with it. */
export function enterPin(pin: string, nowMs: number): void {
  householdPin = pin;
  pinAsked.value = false;
  confirmSale(nowMs);
}

export function cancelPin(): void {
  pinAsked.value = false;
}

function scheduleRetry(): void {
  const state = submit.value;
  if (state.phase !== "unknown") return;
  if (retryTimer !== null) clearTimeout(retryTimer);
  retryTimer = setTimeout(pumpSubmit, Math.max(0, state.retryAtMs - Date.now()));
}

/** Sends an unknown submit again once it is due and the network is back; called by timers and health. */
export function pumpSubmit(): void {
  retryTimer = null;
  const state = submit.value;
  if (state.phase !== "unknown") return;
  const next = retryIfDue<Receipt>(state, Date.now(), online.value);
  if (next === state) {
    if (online.value) scheduleRetry();
    return; // offline: the health poll calls again on recovery
  }
  submit.value = next;
  void sendAttempt();
}

function finishSale(r: Receipt): void {
  const sale: RecentSale = {
    id: r.id,
    receiptNo: r.receiptNo,
    totalPoints: r.totalPoints,
    householdName: r.householdName,
    createdAt: r.createdAt,
    voided: false,
  };
  recent.value = [sale, ...recent.value.filter((s) => s.id !== r.id)].slice(0, RECENT_MAX);
  save(KEYS.recent, JSON.stringify(recent.value));
  drop(KEYS.draft);
  householdPin = null;
  batch(() => {
    receipt.value = r;
    receiptShownAtMs.value = Date.now();
    nowMs.value = Date.now();
    basket.value = {};
    const h = household.value;
    if (h !== null) household.value = { ...h, balance: r.balanceAfter };
    screen.value = "receipt";
  });
  speak(
    t("receipt.spoken", {
      total: formatPoints(r.totalPoints, lang.value),
      after: formatPoints(r.balanceAfter, lang.value),
    }),
  );
  if (autoPrint.value) setTimeout(() => window.print(), 400);
}

async function onRejected(reason: string, code: string | null = null): Promise<void> {
  if (code === "household-suspended") {
    // Suspended since the card was read: the household screen says so kindly, from a fresh read.
    await refreshBalance();
    submit.value = { phase: "idle" };
    basket.value = {};
    screen.value = "household";
    const until = household.value?.suspendedUntil;
    if (until) speak(t("suspended.spoken", { until: formatBeijingDay(until, lang.value) }));
    return;
  }
  if (code === "market-closed") {
    reviewNotice.value = "review.closed";
    await loadMarketHours();
  } else if (code === "wrong-pin" || code === "pin-required" || code === "pin-not-set") {
    householdPin = null;
    reviewNotice.value =
      code === "wrong-pin"
        ? "review.wrongPin"
        : code === "pin-required"
          ? "review.pinNeeded"
          : "review.pinNotSet";
    const h = household.value;
    if (h !== null && code === "pin-required") household.value = { ...h, pinRequired: true };
  } else if (reason === "insufficient-points") {
    reviewNotice.value = "review.insufficient";
    await refreshBalance();
  } else if (reason === "out-of-stock") {
    reviewNotice.value = "review.outOfStock";
    if (await loadGoods()) basket.value = reconcileBasket(basket.value, goods.value ?? []);
  } else if (reason === "not-found") {
    reviewNotice.value = "review.cardGone";
  } else if (reason === "conflict") {
    reviewNotice.value = "review.conflict";
    // A good taken off sale leaves the basket with the fresh goods list.
    if (await loadGoods()) basket.value = reconcileBasket(basket.value, goods.value ?? []);
  } else {
    reviewNotice.value = "review.failed";
  }
  submit.value = { phase: "idle" };
  screen.value = "review";
  speak(t(reviewNotice.value));
}

async function refreshBalance(): Promise<void> {
  const h = household.value;
  if (h === null) return;
  const r = await request(`/api/kiosk/cards/${encodeURIComponent(h.code)}`, { token: token.value });
  const card = r.kind === "response" && r.status === 200 ? parseCard(r.body) : null;
  if (card !== null && household.value !== null) {
    household.value = {
      ...household.value,
      householdId: card.householdId,
      displayName: card.displayName,
      balance: card.balance,
      honourScore: card.honourScore,
      star: card.star,
      suspendedUntil: card.suspendedUntil,
      suspendedRule: card.suspendedRule,
    };
  }
}

// ---------------------------------------------------------------- staff

function readRecent(): RecentSale[] {
  try {
    const v: unknown = JSON.parse(load(KEYS.recent) ?? "[]");
    return Array.isArray(v)
      ? (v as RecentSale[]).filter((s) => typeof s?.id === "string").slice(0, RECENT_MAX)
      : [];
  } catch {
    return [];
  }
}

export type StaffResult =
  | "ok"
  | "bad-login"
  | "rate-limited"
  | "already-voided"
  | "forbidden"
  | "unauthenticated"
  | "failed";

export async function staffLogin(username: string, password: string): Promise<StaffResult> {
  const r = await request("/api/auth/login", { method: "POST", body: { username, password } });
  if (r.kind !== "response") return "failed";
  if (r.status === 429) return "rate-limited";
  if (r.status === 401 || r.status === 400) return "bad-login";
  const user = r.status === 200 ? parseUser(r.body) : null;
  if (user === null) return "failed";
  staffUser.value = user;
  screen.value = "staff";
  return "ok";
}

export async function staffLogout(): Promise<void> {
  staffUser.value = null;
  if (screen.value === "staff" || screen.value === "staff-login") screen.value = "attract";
  await request("/api/auth/logout", { method: "POST" });
}

/** Voids a sale with the clerk's session cookie (no device token: a void needs a person). */
export async function voidSale(id: string, reason: string): Promise<StaffResult> {
  const r = await request(`/api/redemptions/${encodeURIComponent(id)}/void`, {
    method: "POST",
    body: { reason },
  });
  if (r.kind !== "response") return "failed";
  if (r.status === 401) {
    staffUser.value = null;
    return "unauthenticated";
  }
  if (r.status === 403) return "forbidden";
  if (r.status === 409 || r.status === 201 || r.status === 200) {
    recent.value = recent.value.map((s) => (s.id === id ? { ...s, voided: true } : s));
    save(KEYS.recent, JSON.stringify(recent.value));
    return r.status === 409 ? "already-voided" : "ok";
  }
  return "failed";
}

/** Fetches a receipt again for reprinting: with the device token, else with the clerk's session. */
export async function fetchReceipt(id: string): Promise<Receipt | null> {
  const path = `/api/redemptions/${encodeURIComponent(id)}`;
  let r = await request(path, { token: token.value });
  if (r.kind === "response" && (r.status === 401 || r.status === 403)) r = await request(path);
  return r.kind === "response" && r.status === 200 ? parseReceipt(r.body) : null;
}

export function setAutoPrint(on: boolean): void {
  autoPrint.value = on;
  save(KEYS.autoPrint, on ? "1" : "0");
}
