import type { Database } from "bun:sqlite";
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import type { AppEnv } from "../http/env.ts";
import { ProblemError } from "../http/problem.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import { readBody } from "../http/body.ts";
import { Id } from "../http/schemas.ts";
import type { Clock } from "../shared/clock.ts";
import { MINUTE_MS, SECOND_MS } from "../shared/clock.ts";
import { rememberedLanguage, rememberLanguage } from "./language-switch.ts";
import { dayText, figure, minuteText, signed } from "./points.ts";
import { PAGE_FONT_FACES, registerPageFonts } from "./fonts.ts";
import {
  esc,
  langAttrs,
  LOCALE_NAMES,
  LOCALES,
  messageHtml,
  residentLocale,
  t,
  type Locale,
  type MessageKey,
} from "../i18n/catalog.ts";
import { publicCardView, type PublicCardView } from "../villages/public-card.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { objectToEntry } from "../ledger/entry.ts";
import { IdIn, Reason } from "../ledger/entry-schemas.ts";
import { objectionLimiterFor } from "../ledger/objection-limit.ts";
import { issueForCard } from "../statements/card-issue.ts";
import type { AuditContext } from "../audit/audit.ts";
import { shanghaiDay } from "../shared/calendar.ts";

/** A card holder may look up at most this many times a minute from one address. */
export const PUBLIC_CARD_READS_PER_MINUTE = 60;

/** How many entries on notice the phone page lists before it only counts the rest. */
const NOTICE_SHOWN_MAX = 8;

/** How long a phone remembers the language its owner chose. */

const TokenParam = z.strictObject({ token: z.string().min(1).max(100) });
const HistoryQuery = z.strictObject({
  before: Id.optional().describe(
    "the `olderBefore` of the page before: the next older page of the history",
  ),
});

const PublicEntrySchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  ruleTitle: z
    .string()
    .nullable()
    .describe("null for an entry made under no rule (a sale, a correction, an expiry)"),
  points: z.number().int(),
  occurredOn: z.string(),
  postedAt: z.string().nullable(),
});

const PublicCardSchema = z.object({
  displayName: z.string(),
  villageName: z.string(),
  villageId: z.string(),
  balance: z
    .number()
    .int()
    .describe("spendable points (可用积分): what the supermarket spends; may expire at year end"),
  honourScore: z
    .number()
    .int()
    .describe(
      "the honour score (荣誉积分): all points earned less deductions, never spent, never expiring",
    ),
  star: z
    .number()
    .int()
    .nullable()
    .describe(
      "stars the honour score reaches under starThresholds; null where the village rates no stars",
    ),
  recent: z
    .array(PublicEntrySchema)
    .describe("one page of the household's posted entries, newest first"),
  olderBefore: z
    .string()
    .nullable()
    .describe(
      "pass as ?before= for the next older page; null when this page holds the first entry",
    ),
  inNotice: z.array(
    z.object({
      id: z.string(),
      householdName: z.string(),
      title: z.string(),
      points: z.number().int(),
      occurredOn: z.string(),
      status: z.string(),
      noticeEndsAt: z.string().nullable(),
      own: z.boolean(),
    }),
  ),
  thisMonth: z
    .object({ earned: z.number().int(), spent: z.number().int() })
    .describe(
      "this month's posted points: earned (awards less deductions) and spent at the supermarket",
    ),
  yearEarned: z
    .number()
    .int()
    .describe("points earned (awards less deductions) this calendar year"),
  starThresholds: z.array(z.number().int()),
  defaultLanguage: z.enum(["zh-CN", "ug"]),
  suspension: z
    .object({ until: z.string(), ruleTitle: z.string() })
    .nullable()
    .describe(
      "redemptions suspended by a deduction (一票否决): until is the first Beijing day they may redeem again",
    ),
});

/** The resident side: no sign-in, the card token is the key. */
export function registerPublicCardRoutes(
  api: Api,
  app: Hono<AppEnv>,
  db: Database,
  clock: Clock,
): void {
  const limiter = new RateLimiter(PUBLIC_CARD_READS_PER_MINUTE, MINUTE_MS);
  const TOO_MANY = "Too many card look-ups from this address.";
  // The Uyghur font of the resident pages (the board's too), served by the project itself.
  registerPageFonts(app);

  api.route(
    {
      method: "get",
      path: "/api/public/cards/:token",
      summary:
        "A card's masked name, village, balance, one page of its history, this month's figures and the village's entries on notice",
      tag: "public",
      access: { public: true },
      params: TokenParam,
      query: HistoryQuery,
      responses: { 200: { description: "The card's public view", schema: PublicCardSchema } },
    },
    ({ c, params, query, audit }) => {
      limiter.enforce(audit.address, audit.nowMs, TOO_MANY);
      postDueEntries(db, audit.nowMs);
      const view = publicCardView(db, params.token, {
        nowMs: audit.nowMs,
        beforeId: query.before ?? 0,
      });
      if (!view) throw new ProblemError(404, "not-found", "No such card.");
      return c.json(view);
    },
  );

  /** The phone page; `banner` reports the outcome of an objection sent from it. */
  const render = (
    c: Context<AppEnv>,
    token: string,
    nowMs: number,
    page: { beforeId: number; banner: Banner | null },
    status: 200 | 400 | 404 | 409 | 429 = 200,
  ) => {
    postDueEntries(db, nowMs);
    const view = TokenParam.safeParse({ token }).success
      ? publicCardView(db, token, { nowMs, beforeId: page.beforeId })
      : null;
    const locale = residentLocale({
      chosen: rememberedLanguage(c),
      acceptLanguage: c.req.header("accept-language"),
      villageDefault: view?.defaultLanguage ?? null,
    });
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    c.header("content-language", locale);
    c.header("vary", "Accept-Language, Cookie");
    const here = { token, beforeId: page.beforeId };
    if (!view) return c.html(unknownCardPage(locale, here), 404);
    const banner =
      page.banner === null ? null : { ok: page.banner.ok, text: t(page.banner.key, {}, locale) };
    return c.html(cardPage(view, here, nowMs, banner, locale), status);
  };

  app.get("/c/:token", (c) => {
    const nowMs = clock.nowMs();
    limiter.enforce(c.get("clientAddress")(), nowMs, TOO_MANY);
    const token = c.req.param("token");
    const switched = rememberLanguage(c);
    if (switched !== null) return switched;
    // A bad cursor is not worth an error page on a phone: it shows the newest entries.
    const query = HistoryQuery.safeParse({ before: c.req.query("before") });
    const beforeId = query.success ? (query.data.before ?? 0) : 0;
    const done = c.req.query("objected") !== undefined;
    return render(c, token, nowMs, {
      beforeId,
      banner: done ? { ok: true, key: "card.object.done" } : null,
    });
  });

  // An objection sent from the page's form (no script needed): the same use case as
  // POST /api/public/cards/:token/objections, answered with the page again.
  app.post("/c/:token/objections", async (c) => {
    const nowMs = clock.nowMs();
    const token = c.req.param("token");
    const address = c.get("clientAddress")();
    const answer = (key: MessageKey, status: 400 | 404 | 409 | 429) =>
      render(c, token, nowMs, { beforeId: 0, banner: { ok: false, key } }, status);
    if (!TokenParam.safeParse({ token }).success)
      return render(c, token, nowMs, { beforeId: 0, banner: null }, 404);
    if (objectionLimiterFor(db).hit(address, nowMs) > 0) return answer("card.object.tooMany", 429);
    let fields: unknown;
    try {
      fields = await readBody(c, "form", FORM_BYTES_MAX);
    } catch (error) {
      // A body that is no form, too large or not UTF-8: the page says so in words, not a problem document.
      if (!(error instanceof ProblemError)) throw error;
      fields = null;
    }
    const form = ObjectionForm.safeParse(fields);
    if (!form.success) return answer("card.object.invalid", 400);
    const audit: AuditContext = {
      actorKind: "public",
      actorId: null,
      address,
      requestId: c.get("requestId"),
      nowMs,
    };
    const result = objectToEntry(db, audit, {
      cardToken: token,
      entryId: Number(form.data.entryId),
      reason: form.data.reason,
    });
    if (result.ok)
      return c.redirect(`/c/${encodeURIComponent(token)}?objected=${result.value.entry.id}`, 303);
    if (result.reason === "not-found") return answer("card.object.gone", 404);
    if (result.reason === "validation") return answer("card.object.invalid", 400);
    return answer("card.object.closed", 409);
  });

  // A points statement for the bank (积分贷) asked for from the page's button (a form, no script
  // needed): for the card's own household only, rate-limited and audited as
  // POST /api/public/cards/:token/statements is; answered with its print page.
  app.post("/c/:token/statements", (c) => {
    const nowMs = clock.nowMs();
    const token = c.req.param("token");
    if (!TokenParam.safeParse({ token }).success)
      return render(c, token, nowMs, { beforeId: 0, banner: null }, 404);
    const audit: AuditContext = {
      actorKind: "public",
      actorId: null,
      address: c.get("clientAddress")(),
      requestId: c.get("requestId"),
      nowMs,
    };
    const issued = issueForCard(db, audit, token);
    if (issued.ok) return c.redirect(`/s/${encodeURIComponent(issued.row.code)}`, 303);
    if (issued.why === "not-found")
      return render(c, token, nowMs, { beforeId: 0, banner: null }, 404);
    c.header("retry-after", String(Math.ceil(issued.waitMs / SECOND_MS)));
    return render(
      c,
      token,
      nowMs,
      {
        beforeId: 0,
        banner: {
          ok: false,
          key: issued.why === "address-limit" ? "card.object.tooMany" : "card.statement.tooMany",
        },
      },
      429,
    );
  });
}

type Banner = { ok: boolean; key: MessageKey };
type ShownBanner = { ok: boolean; text: string };
/** Where the page is: its card and its place in the history, for the links it makes to itself. */
type Here = { token: string; beforeId: number };

const ObjectionForm = z.strictObject({ entryId: IdIn, reason: Reason });
/** A form body is a few hundred bytes; anything past this is not from our page. */
const FORM_BYTES_MAX = 8 * 1024;

const KIND_KEYS: Record<string, MessageKey> = {
  award: "card.kind.award",
  deduction: "card.kind.deduction",
  redemption: "card.kind.redemption",
  reversal: "card.kind.reversal",
  expiry: "card.kind.expiry",
};

/** The title of an entry made under no rule, in the page's language. */
const ENTRY_KEYS: Record<string, MessageKey> = {
  redemption: "card.entry.redemption",
  reversal: "card.entry.reversal",
  expiry: "card.entry.expiry",
};

function cardPath(here: Here, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (here.beforeId > 0) params.set("before", String(here.beforeId));
  const query = params.toString();
  return `/c/${encodeURIComponent(here.token)}${query === "" ? "" : `?${query}`}`;
}

/** The language switch: plain links (no script), each language named in its own script. */
function languageSwitch(here: Here, locale: Locale): string {
  const links = LOCALES.map(
    (l) =>
      `<a href="${esc(cardPath(here, { lang: l }))}" ${langAttrs(l)} hreflang="${l}"${l === locale ? ` aria-current="true"` : ""}>${esc(LOCALE_NAMES[l])}</a>`,
  ).join("");
  return `<nav class="langs" aria-label="${esc(t("card.lang", {}, locale))}">${links}</nav>`;
}

function shell(title: string, body: string, locale: Locale): string {
  return `<!doctype html><html ${langAttrs(locale)}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${locale === "ug" ? PAGE_FONT_FACES : ""}${CARD_CSS}</style></head><body>${body}</body></html>`;
}

function entryList(view: PublicCardView, locale: Locale): string {
  const tr = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    messageHtml(key, vars, locale);
  if (view.recent.length === 0) return `<p class="empty">${tr("card.recent.empty")}</p>`;
  return `<ul class="list">${view.recent
    .map((e) => {
      const title = e.ruleTitle ?? t(ENTRY_KEYS[e.kind] ?? "card.kind.award", {}, locale);
      return `<li><div class="what"><span class="tag tag-${esc(e.kind)}">${tr(KIND_KEYS[e.kind] ?? "card.kind.award")}</span> <bdi>${esc(title)}</bdi><div class="date"><bdi>${esc(dayText(e.occurredOn, locale))}</bdi></div></div><div class="pts ${e.points >= 0 ? "plus" : "minus"}"><bdi>${esc(signed(e.points, locale))}</bdi></div></li>`;
    })
    .join("")}</ul>`;
}

/** Links down the history (a cursor each, no script) and back to the newest page. */
function historyNav(view: PublicCardView, here: Here, locale: Locale): string {
  const links: string[] = [];
  if (view.olderBefore !== null) {
    links.push(
      `<a class="more" rel="next" href="${esc(cardPath({ token: here.token, beforeId: Number(view.olderBefore) }))}">${esc(t("card.history.older", {}, locale))}</a>`,
    );
  } else if (here.beforeId > 0) {
    links.push(`<p class="end">${esc(t("card.history.first", {}, locale))}</p>`);
  }
  if (here.beforeId > 0)
    links.push(
      `<a class="more newest" href="${esc(cardPath({ token: here.token, beforeId: 0 }))}">${esc(t("card.history.newest", {}, locale))}</a>`,
    );
  return links.length === 0 ? "" : `<div class="history-nav">${links.join("")}</div>`;
}

/** This month's points: earned (awards less deductions) and spent at the supermarket. */
function monthSection(view: PublicCardView, locale: Locale): string {
  const tr = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    messageHtml(key, vars, locale);
  const { earned, spent } = view.thisMonth;
  const figures = `<dl class="figures"><div><dt>${tr("card.month.earned")}</dt><dd class="${earned >= 0 ? "plus" : "minus"}"><bdi>${esc(signed(earned, locale))}</bdi></dd></div><div><dt>${tr("card.month.spent")}</dt><dd><bdi>${esc(figure(spent, locale))}</bdi></dd></div></dl>`;
  return `<section class="month" aria-labelledby="month-title"><h2 id="month-title">${tr("card.month")}</h2>${figures}</section>`;
}

/** Redemptions suspended (一票否决): why, until when, and that the points stay; in the hero, under the balance. */
function suspensionNote(view: PublicCardView, locale: Locale): string {
  if (view.suspension === null) return "";
  const tr = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    messageHtml(key, vars, locale);
  return `<div class="suspended" role="note"><strong>${tr("card.suspended.title")}</strong><p>${tr("card.suspended.reason", { rule: view.suspension.ruleTitle })}</p><p>${tr("card.suspended.until", { date: dayText(view.suspension.until, locale) })}</p></div>`;
}

/**
 * The honour score (荣誉积分, issue 18) in plain words: all points earned less deductions, which
 * spending never lowers and the year end never clears; the star tier it reaches where the village
 * rates stars, and how far the next one is; and the button that prints a statement of it for the
 * bank (a form: it works without script).
 */
function honourSection(view: PublicCardView, token: string, locale: Locale): string {
  const tr = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    messageHtml(key, vars, locale);
  const thresholds = view.starThresholds;
  let stars = "";
  if (view.star !== null) {
    const count = view.star;
    const next = thresholds[count];
    const progress =
      next === undefined
        ? tr("card.stars.top")
        : tr("card.honour.next", {
            points: figure(next - view.honourScore, locale),
            stars: count + 1,
          });
    stars = `<div class="stars"><div class="stars-head"><span class="stars-row" aria-hidden="true">${"★".repeat(count)}<span class="off">${"★".repeat(thresholds.length - count)}</span></span> <span class="stars-title">${tr("card.stars")}</span> <strong>${tr("card.stars.level", { stars: count, max: thresholds.length })}</strong></div><p class="date">${progress}</p></div>`;
  }
  const statement = `<form class="statement" method="post" action="/c/${esc(encodeURIComponent(token))}/statements"><button type="submit">${tr("card.statement")}</button><p class="date">${tr("card.statement.about")}</p></form>`;
  return `<section class="honour" aria-labelledby="honour-title"><h2 id="honour-title">${tr("card.honour")}</h2><div class="honour-figure"><bdi>${esc(figure(view.honourScore, locale))}</bdi><span class="unit">${tr("card.points")}</span></div><p class="date">${tr("card.honour.about")}</p>${stars}${statement}</section>`;
}

function cardPage(
  view: PublicCardView,
  here: Here,
  nowMs: number,
  banner: ShownBanner | null,
  locale: Locale,
): string {
  const tr = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    messageHtml(key, vars, locale);
  const newest = here.beforeId === 0;
  // On a phone, the household's own entries first, then the village's newest few; the rest is a count.
  const shown = [
    ...view.inNotice.filter((e) => e.own),
    ...view.inNotice.filter((e) => !e.own),
  ].slice(0, NOTICE_SHOWN_MAX);
  const more = view.inNotice.length - shown.length;
  const notice =
    view.inNotice.length === 0
      ? `<p class="empty">${tr("card.inNotice.empty")}</p>`
      : `<ul class="list">${shown
          .map(
            (e) =>
              `<li class="notice${e.own ? " own" : ""}"><div class="row"><div class="what"><bdi>${esc(e.householdName)}</bdi>${e.own ? ` <span class="tag">${tr("card.inNotice.own")}</span>` : ""} · <bdi>${esc(e.title)}</bdi><div class="date">${e.status === "disputed" ? `<span class="tag tag-disputed">${tr("card.inNotice.disputed")}</span>` : e.noticeEndsAt ? tr("card.inNotice.until", { date: dayText(shanghaiDay(Date.parse(e.noticeEndsAt)), locale) }) : ""}</div></div><div class="pts ${e.points >= 0 ? "plus" : "minus"}"><bdi>${esc(signed(e.points, locale))}</bdi></div></div>${objectionForm(here.token, e.id, locale)}</li>`,
          )
          .join(
            "",
          )}</ul>${more > 0 ? `<p class="empty">${tr("card.inNotice.more", { count: more })}</p>` : ""}`;
  const bannerHtml =
    banner === null
      ? ""
      : `<p class="banner ${banner.ok ? "ok" : "bad"}" role="status">${esc(banner.text)}</p>`;
  return shell(
    t("card.title", {}, locale),
    `<main>${languageSwitch(here, locale)}${bannerHtml}
<header class="hero"><div class="village"><bdi>${esc(view.villageName)}</bdi></div><h1 class="name"><bdi>${esc(view.displayName)}</bdi></h1>
<div class="label">${tr("card.spendable")}</div><div class="balance"><bdi>${esc(figure(view.balance, locale))}</bdi><span class="unit">${tr("card.points")}</span></div>
<div class="about">${tr("card.spendable.about")}</div>
${suspensionNote(view, locale)}<div class="updated">${tr("card.updated", { time: minuteText(nowMs, locale) })}</div></header>
${newest ? honourSection(view, here.token, locale) + monthSection(view, locale) : ""}
<section id="history" aria-labelledby="history-title"><h2 id="history-title">${tr(newest ? "card.recent" : "card.history.title")}</h2>${entryList(view, locale)}${historyNav(view, here, locale)}</section>
${newest ? `<section aria-labelledby="notice-title"><h2 id="notice-title">${tr("card.inNotice")}</h2>${notice}</section>` : ""}
<footer>${tr("card.footer")}</footer></main>`,
    locale,
  );
}

/** A folded form under each entry on notice: open it, give a reason, send. Works without script. */
function objectionForm(token: string, entryId: string, locale: Locale): string {
  const tr = (key: MessageKey) => messageHtml(key, {}, locale);
  return `<details class="object"><summary>${tr("card.object.open")}</summary><form method="post" action="/c/${esc(encodeURIComponent(token))}/objections"><input type="hidden" name="entryId" value="${esc(entryId)}"><label>${tr("card.object.reason")}<textarea name="reason" required maxlength="500" rows="3" dir="auto"></textarea></label><button type="submit">${tr("card.object.submit")}</button></form></details>`;
}

function unknownCardPage(locale: Locale, here: Here): string {
  const tr = (key: MessageKey) => messageHtml(key, {}, locale);
  return shell(
    t("card.unknown.title", {}, locale),
    `<main>${languageSwitch(here, locale)}<header class="hero muted"><h1 class="name">${tr("card.unknown.title")}</h1><p class="lead">${tr("card.unknown.body")}</p></header><footer>${tr("card.footer")}</footer></main>`,
    locale,
  );
}

const CARD_CSS = `
:root { --accent: #b4231f; --ink: #1f2933; --muted: #52606d; --bg: #f6f1ea; --card: #fff; --plus: #1d6b3a; --minus: #a61b1b; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 20px; line-height: 1.5; overflow-wrap: break-word; }
:lang(ug) { font-family: "Noto Sans Arabic", "UKIJ Tuz Tom", "Microsoft Uighur", "Noto Sans CJK SC", "DejaVu Sans", sans-serif; line-height: 1.7; }
main { max-width: 560px; margin: 0 auto; padding: 16px; }
.langs { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 8px; margin: 0 0 12px; }
.langs a { display: inline-flex; align-items: center; min-height: 44px; padding: 4px 14px; border: 1px solid #9aa5b1; border-radius: 22px; color: var(--ink); background: var(--card); text-decoration: none; font-size: 18px; }
.langs a[aria-current] { border-color: var(--accent); color: var(--accent); font-weight: 700; }
.hero { background: linear-gradient(160deg, #c62f27, #8f1914); color: #fff; border-radius: 20px; padding: 24px; text-align: center; box-shadow: 0 6px 20px rgba(143,25,20,.25); }
.hero.muted { background: #52606d; box-shadow: none; }
.village { font-size: 20px; opacity: .92; }
.name { font-size: 32px; font-weight: 700; margin: 4px 0 0; }
.label { margin-top: 16px; font-size: 20px; opacity: .92; }
.balance { font-size: 72px; font-weight: 800; line-height: 1.1; }
.unit { font-size: 26px; font-weight: 600; margin-inline-start: 6px; }
.about { font-size: 17px; opacity: .92; margin-top: 2px; }
.updated { font-size: 16px; opacity: .85; margin-top: 8px; }
.suspended { background: #fff; color: var(--ink); border-radius: 14px; padding: 12px 16px; margin: 14px 0 4px; text-align: start; font-size: 18px; line-height: 1.5; }
.suspended strong { display: block; font-size: 20px; color: #8f1914; }
.suspended p { margin: 4px 0 0; }
.honour-figure { font-size: 52px; font-weight: 800; line-height: 1.1; color: #8f1914; }
.honour-figure .unit { color: var(--ink); }
form.statement { margin-top: 14px; padding-top: 12px; border-top: 1px solid #e4e7eb; display: grid; gap: 6px; }
form.statement button { font: inherit; font-size: 20px; font-weight: 700; color: var(--accent); background: var(--card); border: 2px solid var(--accent); border-radius: 12px; min-height: 52px; padding: 6px 18px; cursor: pointer; }
.lead { font-size: 20px; }
section { background: var(--card); border-radius: 16px; padding: 16px 20px; margin-top: 16px; }
h2 { font-size: 22px; margin: 0 0 8px; }
.figures { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin: 0; }
.figures div { background: var(--bg); border-radius: 12px; padding: 8px 12px; text-align: center; }
.figures dt { color: var(--muted); font-size: 17px; }
.figures dd { margin: 0; font-size: 34px; font-weight: 800; line-height: 1.2; }
.stars { margin-top: 12px; }
.stars-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; }
.stars-row { color: #b7791f; font-size: 26px; letter-spacing: 2px; white-space: nowrap; }
.stars-row .off { color: #cbd2d9; }
.stars-title { color: var(--muted); font-size: 17px; }
.list { list-style: none; margin: 0; padding: 0; }
.list li { display: flex; justify-content: space-between; align-items: center; gap: 12px; padding: 12px 0; border-top: 1px solid #e4e7eb; }
.list li:first-child { border-top: 0; }
.what { min-width: 0; }
.date { color: var(--muted); font-size: 16px; }
bdi.v, .date bdi { white-space: nowrap; }
.pts { font-size: 26px; font-weight: 700; white-space: nowrap; }
.plus { color: var(--plus); }
.minus { color: var(--minus); }
.tag { display: inline-block; font-size: 15px; border: 1px solid currentColor; border-radius: 6px; padding: 0 6px; margin-inline-end: 4px; color: var(--muted); }
.empty, .end { color: var(--muted); margin: 8px 0; }
.history-nav { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 16px; margin-top: 8px; padding-top: 12px; border-top: 1px solid #e4e7eb; }
.history-nav .more { display: inline-flex; align-items: center; min-height: 48px; padding: 6px 18px; border: 1px solid var(--accent); border-radius: 12px; color: var(--accent); text-decoration: none; font-weight: 700; }
.history-nav .newest { border-color: #9aa5b1; color: var(--ink); font-weight: 400; }
.list li.own { background: #fff7e6; margin-inline: -20px; padding-inline: 20px; }
.list li.notice { display: block; }
.row { display: flex; justify-content: space-between; align-items: center; gap: 12px; }
.tag-disputed { color: var(--accent); }
details.object { margin-top: 8px; }
details.object summary { display: inline-block; cursor: pointer; color: var(--accent); font-size: 18px; padding: 8px 14px; border: 1px solid var(--accent); border-radius: 10px; min-height: 44px; }
details.object form { margin-top: 10px; display: grid; gap: 10px; }
details.object label { display: grid; gap: 6px; font-size: 17px; color: var(--muted); }
details.object textarea { font: inherit; font-size: 18px; padding: 10px; border: 1px solid #9aa5b1; border-radius: 10px; width: 100%; }
details.object button { font: inherit; font-size: 20px; font-weight: 700; color: #fff; background: var(--accent); border: 0; border-radius: 12px; min-height: 52px; }
.banner { border-radius: 14px; padding: 14px 18px; margin: 0 0 16px; font-size: 19px; }
.banner.ok { background: #e3f4e8; color: #14532d; }
.banner.bad { background: #fde8e8; color: #8a1c1c; }
footer { text-align: center; color: var(--muted); font-size: 15px; padding: 20px 0; }
`;
