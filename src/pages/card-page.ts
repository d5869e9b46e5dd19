import type { Database } from "bun:sqlite";
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import type { AppEnv } from "../http/env.ts";
import { ProblemError } from "../http/problem.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import { readBody } from "../http/body.ts";
import type { Clock } from "../shared/clock.ts";
import { MINUTE_MS } from "../shared/clock.ts";
import { signed } from "./points.ts";
import { esc, t, type MessageKey } from "../i18n/catalog.ts";
import { publicCardView, type PublicCardView } from "../villages/public-card.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { objectToEntry } from "../ledger/entry.ts";
import { IdIn, Reason } from "../ledger/entry-schemas.ts";
import { objectionLimiterFor } from "../ledger/entry-routes.ts";
import type { AuditContext } from "../audit/audit.ts";
import { shanghaiMinute } from "../shared/calendar.ts";

/** A card holder may look up at most this many times a minute from one address. */
export const PUBLIC_CARD_READS_PER_MINUTE = 60;

/** How many entries on notice the phone page lists before it only counts the rest. */
const NOTICE_SHOWN_MAX = 8;

const TokenParam = z.strictObject({ token: z.string().min(1).max(100) });

const PublicCardSchema = z.object({
  displayName: z.string(),
  villageName: z.string(),
  villageId: z.string(),
  balance: z.number().int(),
  recent: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string(), points: z.number().int(), occurredOn: z.string(), postedAt: z.string().nullable() })),
  inNotice: z.array(
    z.object({ id: z.string(), householdName: z.string(), title: z.string(), points: z.number().int(), occurredOn: z.string(), status: z.string(), noticeEndsAt: z.string().nullable(), own: z.boolean() }),
  ),
});

/** The resident side: no sign-in, the card token is the key. */
export function registerPublicCardRoutes(api: Api, app: Hono<AppEnv>, db: Database, clock: Clock): void {
  const limiter = new RateLimiter(PUBLIC_CARD_READS_PER_MINUTE, MINUTE_MS);
  const TOO_MANY = "Too many card look-ups from this address.";

  api.route(
    {
      method: "get",
      path: "/api/public/cards/:token",
      summary: "A card's masked name, village, balance, recent entries and the village's entries on notice",
      tag: "public",
      access: { public: true },
      params: TokenParam,
      responses: { 200: { description: "The card's public view", schema: PublicCardSchema } },
    },
    ({ c, params, audit }) => {
      limiter.enforce(audit.address, audit.nowMs, TOO_MANY);
      postDueEntries(db, audit.nowMs);
      const view = publicCardView(db, params.token);
      if (!view) throw new ProblemError(404, "not-found", "No such card.");
      return c.json(view);
    },
  );

  /** The phone page; `banner` reports the outcome of an objection sent from it. */
  const render = (c: Context<AppEnv>, token: string, nowMs: number, banner: Banner | null, status: 200 | 400 | 404 | 409 | 429 = 200) => {
    postDueEntries(db, nowMs);
    const view = publicCardView(db, token);
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    if (!view) return c.html(unknownCardPage(), 404);
    return c.html(cardPage(view, token, nowMs, banner), status);
  };

  app.get("/c/:token", (c) => {
    const nowMs = clock.nowMs();
    limiter.enforce(c.get("clientAddress")(), nowMs, TOO_MANY);
    const done = c.req.query("objected") !== undefined;
    return render(c, c.req.param("token"), nowMs, done ? { ok: true, text: t("card.object.done") } : null);
  });

  // An objection sent from the page's form (no script needed): the same use case as
  // POST /api/public/cards/:token/objections, answered with the page again.
  app.post("/c/:token/objections", async (c) => {
    const nowMs = clock.nowMs();
    const token = c.req.param("token");
    const address = c.get("clientAddress")();
    if (!TokenParam.safeParse({ token }).success) return render(c, token, nowMs, null, 404);
    if (objectionLimiterFor(db).hit(address, nowMs) > 0) return render(c, token, nowMs, { ok: false, text: t("card.object.tooMany") }, 429);
    let fields: unknown;
    try {
      fields = await readBody(c, "form", FORM_BYTES_MAX);
    } catch (error) {
      // A body that is no form, too large or not UTF-8: the page says so in words, not a problem document.
      if (!(error instanceof ProblemError)) throw error;
      fields = null;
    }
    const form = ObjectionForm.safeParse(fields);
    if (!form.success) return render(c, token, nowMs, { ok: false, text: t("card.object.invalid") }, 400);
    const audit: AuditContext = { actorKind: "public", actorId: null, address, requestId: c.get("requestId"), nowMs };
    const result = objectToEntry(db, audit, { cardToken: token, entryId: Number(form.data.entryId), reason: form.data.reason });
    if (result.ok) return c.redirect(`/c/${encodeURIComponent(token)}?objected=${result.value.entry.id}`, 303);
    if (result.reason === "not-found") return render(c, token, nowMs, { ok: false, text: t("card.object.gone") }, 404);
    if (result.reason === "validation") return render(c, token, nowMs, { ok: false, text: t("card.object.invalid") }, 400);
    return render(c, token, nowMs, { ok: false, text: t("card.object.closed") }, 409);
  });
}

type Banner = { ok: boolean; text: string };

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

function shell(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${CARD_CSS}</style></head><body>${body}</body></html>`;
}

function cardPage(view: PublicCardView, token: string, nowMs: number, banner: Banner | null): string {
  const recent =
    view.recent.length === 0
      ? `<p class="empty">${esc(t("card.recent.empty"))}</p>`
      : `<ul class="list">${view.recent
          .map(
            (e) => `<li><div class="what"><span class="tag tag-${esc(e.kind)}">${esc(t(KIND_KEYS[e.kind] ?? "card.kind.award"))}</span> ${esc(e.title)}<div class="date">${esc(e.occurredOn)}</div></div><div class="pts ${e.points >= 0 ? "plus" : "minus"}"><bdi>${esc(signed(e.points))}</bdi></div></li>`,
          )
          .join("")}</ul>`;
  // On a phone, the household's own entries first, then the village's newest few; the rest is a count.
  const shown = [...view.inNotice.filter((e) => e.own), ...view.inNotice.filter((e) => !e.own)].slice(0, NOTICE_SHOWN_MAX);
  const more = view.inNotice.length - shown.length;
  const notice =
    view.inNotice.length === 0
      ? `<p class="empty">${esc(t("card.inNotice.empty"))}</p>`
      : `<ul class="list">${shown
          .map(
            (e) =>
              `<li class="notice${e.own ? " own" : ""}"><div class="row"><div class="what"><bdi>${esc(e.householdName)}</bdi>${e.own ? ` <span class="tag">${esc(t("card.inNotice.own"))}</span>` : ""} · ${esc(e.title)}<div class="date">${e.status === "disputed" ? `<span class="tag tag-disputed">${esc(t("card.inNotice.disputed"))}</span>` : e.noticeEndsAt ? esc(t("card.inNotice.until", { date: e.noticeEndsAt.slice(0, 10) })) : ""}</div></div><div class="pts ${e.points >= 0 ? "plus" : "minus"}"><bdi>${esc(signed(e.points))}</bdi></div></div>${objectionForm(token, e.id)}</li>`,
          )
          .join("")}</ul>${more > 0 ? `<p class="empty">${esc(t("card.inNotice.more", { count: more }))}</p>` : ""}`;
  const bannerHtml = banner === null ? "" : `<p class="banner ${banner.ok ? "ok" : "bad"}" role="status">${esc(banner.text)}</p>`;
  return shell(
    t("card.title"),
    `<main>${bannerHtml}
<header class="hero"><div class="village">${esc(view.villageName)}</div><div class="name"><bdi>${esc(view.displayName)}</bdi></div>
<div class="label">${esc(t("card.balance"))}</div><div class="balance"><bdi>${esc(view.balance)}</bdi><span class="unit">${esc(t("card.points"))}</span></div>
<div class="updated">${esc(t("card.updated", { time: shanghaiMinute(nowMs) }))}</div></header>
<section><h2>${esc(t("card.recent"))}</h2>${recent}</section>
<section><h2>${esc(t("card.inNotice"))}</h2>${notice}</section>
<footer>${esc(t("card.footer"))}</footer></main>`,
  );
}

/** A folded form under each entry on notice: open it, give a reason, send. Works without script. */
function objectionForm(token: string, entryId: string): string {
  return `<details class="object"><summary>${esc(t("card.object.open"))}</summary><form method="post" action="/c/${esc(encodeURIComponent(token))}/objections"><input type="hidden" name="entryId" value="${esc(entryId)}"><label>${esc(t("card.object.reason"))}<textarea name="reason" required maxlength="500" rows="3"></textarea></label><button type="submit">${esc(t("card.object.submit"))}</button></form></details>`;
}

function unknownCardPage(): string {
  return shell(t("card.unknown.title"), `<main><header class="hero muted"><div class="name">${esc(t("card.unknown.title"))}</div><p class="lead">${esc(t("card.unknown.body"))}</p></header><footer>${esc(t("card.footer"))}</footer></main>`);
}

const CARD_CSS = `
:root { --accent: #b4231f; --ink: #1f2933; --muted: #52606d; --bg: #f6f1ea; --card: #fff; --plus: #1d6b3a; --minus: #a61b1b; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 20px; line-height: 1.5; }
main { max-width: 560px; margin: 0 auto; padding: 16px; }
.hero { background: linear-gradient(160deg, #c62f27, #8f1914); color: #fff; border-radius: 20px; padding: 24px; text-align: center; box-shadow: 0 6px 20px rgba(143,25,20,.25); }
.hero.muted { background: #52606d; box-shadow: none; }
.village { font-size: 20px; opacity: .92; }
.name { font-size: 32px; font-weight: 700; margin-top: 4px; }
.label { margin-top: 16px; font-size: 20px; opacity: .92; }
.balance { font-size: 72px; font-weight: 800; line-height: 1.1; }
.unit { font-size: 26px; font-weight: 600; margin-inline-start: 6px; }
.updated { font-size: 16px; opacity: .85; margin-top: 8px; }
.lead { font-size: 20px; }
section { background: var(--card); border-radius: 16px; padding: 16px 20px; margin-top: 16px; }
h2 { font-size: 22px; margin: 0 0 8px; }
.list { list-style: none; margin: 0; padding: 0; }
.list li { display: flex; justify-content: space-between; align-items: center; gap: 12px; padding: 12px 0; border-top: 1px solid #e4e7eb; }
.list li:first-child { border-top: 0; }
.date { color: var(--muted); font-size: 16px; }
.pts { font-size: 26px; font-weight: 700; white-space: nowrap; }
.plus { color: var(--plus); }
.minus { color: var(--minus); }
.tag { display: inline-block; font-size: 15px; border: 1px solid currentColor; border-radius: 6px; padding: 0 6px; margin-inline-end: 4px; color: var(--muted); }
.empty { color: var(--muted); margin: 8px 0; }
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
