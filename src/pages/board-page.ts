/**
 * `/board/:villageId`: the public board (村务公开栏) on a screen in the village office. Server
 * rendered, no script: the panels take turns by a CSS animation and the page reloads itself
 * after whole turns (the standard `Refresh` header, which every browser down to an old
 * television's honours as it does a meta refresh, and which leaves the page itself free of a
 * timed reload that a person reading it cannot stop). A panel held still (`?panel=2`: a committee
 * member showing one, or someone reading on a phone) never reloads. The same figures as
 * `GET /api/public/villages/:villageId/board`, names masked.
 */
import type { Database } from "bun:sqlite";
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/env.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import { Id } from "../http/schemas.ts";
import { figure, minuteText, monthDayText, signed } from "./points.ts";
import { PAGE_FONT_FACES } from "./fonts.ts";
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
import { boardOf, PUBLIC_BOARD_READS_PER_MINUTE, type Board } from "../reports/board.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { findVillage } from "../villages/village-store.ts";
import type { Clock } from "../shared/clock.ts";
import { MINUTE_MS } from "../shared/clock.ts";
import { rememberedLanguage, rememberLanguage } from "./language-switch.ts";
import { shanghaiDay } from "../shared/calendar.ts";

/** Seconds each panel stays on screen. */
export const BOARD_PANEL_SECONDS = 15;
/** The page reloads after whole turns of its panels, at least this often. */
export const BOARD_REFRESH_MIN_SECONDS = 60;
/** Rows of entries on notice a panel holds at a size readable across a room. */
export const BOARD_NOTICE_ROWS = 7;
/** Panels of entries on notice at most; the rest are counted. */
export const BOARD_NOTICE_PANELS_MAX = 4;
/** How long a screen (or a phone) remembers the language chosen for the board. */

const BoardParams = z.strictObject({ villageId: Id });
/** `?panel=2` holds the second panel still (for a committee member showing one, and for tests). */
const BoardQuery = z.strictObject({ panel: z.coerce.number().int().min(1).max(50).optional() });

/** The words of one board in one language: every message of the page goes through this, as
 * text (`tr`) or, where it carries values, as HTML with each value in <bdi> (`trh`). */
type Tr = (key: MessageKey, vars?: Record<string, string | number>) => string;
type Trs = { tr: Tr; trh: Tr };

export function registerBoardPage(app: Hono<AppEnv>, db: Database, clock: Clock): void {
  const limiter = new RateLimiter(PUBLIC_BOARD_READS_PER_MINUTE, MINUTE_MS);
  app.get("/board/:villageId", (c: Context<AppEnv>) => {
    const nowMs = clock.nowMs();
    limiter.enforce(c.get("clientAddress")(), nowMs, "Too many board reads from this address.");
    c.header("cache-control", "no-store");
    const switched = rememberLanguage(c);
    if (switched !== null) return switched;
    const params = BoardParams.safeParse({ villageId: c.req.param("villageId") });
    const village = params.success ? findVillage(db, params.data.villageId) : null;
    const locale = residentLocale({
      chosen: rememberedLanguage(c),
      acceptLanguage: c.req.header("accept-language"),
      villageDefault: village?.default_language ?? null,
    });
    c.header("content-language", locale);
    c.header("vary", "Accept-Language, Cookie");
    if (village === null) return c.html(unknownBoardPage(locale), 404);
    // A bad `panel` is not worth an error on a wall screen: the board simply takes turns.
    const query = BoardQuery.safeParse(c.req.query());
    postDueEntries(db, nowMs);
    const url = new URL(c.req.url);
    const held = query.success ? (query.data.panel ?? null) : null;
    const board = boardOf(db, village, nowMs);
    const page = boardPage(board, nowMs, held, locale, url.pathname + url.search);
    if (held === null) c.header("refresh", String(refreshSeconds(page.panels)));
    return c.html(page.html);
  });
}

function table(head: string[], rows: string[][], classes: string[] = []): string {
  const cls = (i: number) => (classes[i] ? ` class="${classes[i]}"` : "");
  return `<table><thead><tr>${head.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((cell, i) => `<td${cls(i)}>${cell}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

/** A panel; `asideHtml` is HTML already (its values isolated in <bdi>). */
function panel(title: string, asideHtml: string, body: string): string {
  return `<section class="panel"><h2>${esc(title)}${asideHtml === "" ? "" : ` <span class="aside">${asideHtml}</span>`}</h2>${body}</section>`;
}

function noticePanels(board: Board, { tr, trh }: Trs, locale: Locale): string[] {
  const how = `<p class="how">${esc(tr("board.notice.how"))}</p>`;
  if (board.inNotice.length === 0)
    return [
      panel(tr("board.notice"), "", `<p class="empty">${esc(tr("board.notice.empty"))}</p>${how}`),
    ];
  const shown = board.inNotice.slice(0, BOARD_NOTICE_ROWS * BOARD_NOTICE_PANELS_MAX);
  const pages = Math.ceil(shown.length / BOARD_NOTICE_ROWS);
  const panels: string[] = [];
  for (let page = 0; page < pages; page++) {
    const rows = shown.slice(page * BOARD_NOTICE_ROWS, (page + 1) * BOARD_NOTICE_ROWS).map((e) => [
      `<bdi>${esc(e.householdName)}</bdi>`,
      `<bdi>${esc(e.title)}</bdi>`,
      `<bdi class="${e.points >= 0 ? "plus" : "minus"}">${esc(signed(e.points, locale))}</bdi>`,
      // Uyghur spells a day out in words: without its year (the board's month says it) it fits the column.
      `<bdi>${esc(locale === "ug" ? monthDayText(e.occurredOn, locale) : e.occurredOn)}</bdi>`,
      e.status === "disputed"
        ? `<span class="tag disputed">${esc(tr("board.notice.disputed"))}</span>`
        : e.noticeEndsAt === null
          ? ""
          : `<span class="until">${trh("board.notice.until", { date: monthDayText(shanghaiDay(Date.parse(e.noticeEndsAt)), locale) })}</span>`,
    ]);
    const last = page === pages - 1;
    const more = board.inNoticeTotal - shown.length;
    const aside = [
      trh("board.notice.count", { count: board.inNoticeTotal }),
      pages > 1 ? trh("board.notice.page", { page: page + 1, pages }) : "",
    ]
      .filter(Boolean)
      .join(" · ");
    panels.push(
      panel(
        tr("board.notice"),
        aside,
        table(
          [
            tr("board.col.household"),
            tr("board.col.item"),
            tr("board.col.points"),
            tr("board.col.date"),
            tr("board.col.status"),
          ],
          rows,
          ["name", "", "num", "date", "status"],
        ) +
          (last && more > 0
            ? `<p class="empty">${trh("board.notice.more", { count: more })}</p>`
            : "") +
          how,
      ),
    );
  }
  return panels;
}

/**
 * Ten ranks in two columns of five, so all fit at a size readable across a room. The honour board
 * ranks by the honour score (its stars beside it) and shows this month's points after it; the
 * bottom list is this month's.
 */
function ranking(
  list: Board["honourBoard"]["top"],
  by: "honour" | "month",
  tr: Tr,
  locale: Locale,
): string {
  const half = Math.ceil(list.length / 2);
  const rank = (h: (typeof list)[number]) =>
    `<span class="rank rank-${h.rank <= 3 ? h.rank : "n"}">${h.rank}</span>`;
  const month = (h: (typeof list)[number], tone: string) =>
    `<bdi class="${tone}">${esc(signed(h.earned, locale))}</bdi>`;
  const stars = (n: number | null) =>
    n === null || n === 0
      ? ""
      : ` <span class="stars" role="img" aria-label="${esc(tr("board.stars", { stars: n }))}">${"★".repeat(n)}</span>`;
  const column = (part: typeof list) =>
    by === "honour"
      ? table(
          [
            tr("board.col.rank"),
            tr("board.col.household"),
            tr("board.col.honour"),
            tr("board.col.earned"),
          ],
          part.map((h) => [
            rank(h),
            `<bdi>${esc(h.householdName)}</bdi>${stars(h.star)}`,
            `<bdi class="honour">${esc(figure(h.honourScore, locale))}</bdi>`,
            month(h, h.earned < 0 ? "minus" : "plus small"),
          ]),
          ["", "", "num", "num"],
        )
      : table(
          [tr("board.col.rank"), tr("board.col.household"), tr("board.col.earned")],
          part.map((h) => [rank(h), `<bdi>${esc(h.householdName)}</bdi>`, month(h, "minus")]),
          ["", "", "num"],
        );
  return `<div class="columns">${column(list.slice(0, half))}${list.length > half ? column(list.slice(half)) : "<div></div>"}</div>`;
}

/** The honour board (红榜) and, where the village shows it, the bottom list (黑榜) on a panel of its own. */
function honourPanels(board: Board, { tr }: Trs, locale: Locale): string[] {
  const { top, bottom } = board.honourBoard;
  const how = `<p class="how">${esc(tr("board.honour.how"))}</p>`;
  if (top.length === 0)
    return [
      panel(tr("board.honour"), "", `<p class="empty">${esc(tr("board.honour.empty"))}</p>${how}`),
    ];
  const panels = [panel(tr("board.honour"), "", ranking(top, "honour", tr, locale) + how)];
  if (bottom !== null && bottom.length > 0)
    panels.push(panel(tr("board.bottom"), "", ranking(bottom, "month", tr, locale)));
  return panels;
}

/**
 * The supermarket's month-end statements once both signers have signed (对账, frozen): each
 * month's goods in, out, written off and on hand, the points redeemed, who signed (masked) and the
 * first digits of the digest, which the printed statement carries too.
 */
function signedPanel(board: Board, { tr, trh }: Trs, locale: Locale): string {
  const months = board.signedMonths;
  if (months.length === 0)
    return panel(tr("board.signed"), "", `<p class="empty">${esc(tr("board.signed.empty"))}</p>`);
  const n = (v: number) => `<bdi>${esc(figure(v, locale))}</bdi>`;
  const [figIn, figOut, figOff, figOn, figPts] = [
    "board.signed.in",
    "board.signed.sold",
    "board.signed.writtenOff",
    "board.signed.onHand",
    "board.signed.points",
  ] as const;
  const items = months
    .map((m) => {
      const [year, month] = m.month.split("-");
      const cell = (key: MessageKey, v: number) =>
        `<div><dt>${esc(tr(key))}</dt><dd>${n(v)}</dd></div>`;
      const signers = m.signers
        .map(
          (x) =>
            `<bdi>${esc(x.name)}</bdi>（${esc(tr(x.role === "clerk" ? "board.signed.role.clerk" : "board.signed.role.village_admin"))}）`,
        )
        .join(locale === "zh-CN" ? "、" : ", ");
      const digest = m.digest.replace(/(.{4})(?!$)/g, "$1 ");
      return `<li class="signed-month"><h3>${trh("board.month", { year: year ?? "", month: String(Number(month ?? "1")) })}</h3><dl class="signed-figures">${cell(figIn, m.goodsIn)}${cell(figOut, m.sold)}${cell(figOff, m.writtenOff)}${cell(figOn, m.onHand)}${cell(figPts, m.pointsRedeemed)}</dl><p class="signed-by">${esc(tr("board.signed.by"))}：${signers} · ${esc(tr("board.signed.digest"))} <span class="digest" dir="ltr">${esc(digest)}</span>${m.intact ? "" : ` <span class="tag disputed">${esc(tr("board.signed.altered"))}</span>`}</p></li>`;
    })
    .join("");
  return panel(
    tr("board.signed"),
    `<span class="keep">${esc(tr("board.signed.units"))}</span>`,
    `<ul class="signed">${items}</ul>`,
  );
}

function marketPanel(board: Board, { tr, trh }: Trs, locale: Locale): string {
  const months = [...board.supermarket].reverse();
  const n = (v: number) => esc(figure(v, locale));
  return panel(
    tr("board.market"),
    trh("board.market.months", { count: months.length }),
    table(
      [
        tr("board.col.month"),
        tr("board.col.goodsIn"),
        tr("board.col.goodsOut"),
        tr("board.col.redemptions"),
        tr("board.col.pointsRedeemed"),
      ],
      months.map((m) => [
        `<bdi>${esc(m.month)}</bdi>`,
        n(m.goodsInUnits),
        n(m.goodsOutUnits),
        n(m.redemptions),
        n(m.netPointsRedeemed),
      ]),
      ["month", "num", "num", "num count", "num"],
    ),
  );
}

function totalsPanel(board: Board, { tr, trh }: Trs, locale: Locale): string {
  const fig = (label: string, value: number, tone: string) =>
    `<div class="figure"><div class="label">${esc(label)}</div><div class="value ${tone}"><bdi>${esc(figure(value, locale))}</bdi></div></div>`;
  const { awarded, deducted, redeemed } = board.monthTotals;
  // The hash in groups of four, so two people can read it to each other.
  const hash = board.chainHead.hash.replace(/(.{4})(?!$)/g, "$1 ");
  const chain =
    board.chainHead.seq === 0
      ? `<p class="empty">${esc(tr("board.chain.empty"))}</p>`
      : `<p class="hash" dir="ltr">${esc(hash)}</p><p class="how">${trh("board.chain.body", { count: figure(board.chainHead.seq, locale) })}</p>`;
  return panel(
    tr("board.totals"),
    "",
    `<div class="figures">${fig(tr("board.totals.awarded"), awarded, "plus")}${fig(tr("board.totals.deducted"), deducted, "minus")}${fig(tr("board.totals.redeemed"), redeemed, "")}</div><h3>${esc(tr("board.chain"))}</h3>${chain}`,
  );
}

/**
 * A phone is read, not watched: there the panels stand in the page's flow, one under the other
 * (or the one held), as long as their content, and the page scrolls.
 */
const PHONE_MEDIA = "(max-width: 700px)";

/**
 * The panels take turns: each is shown for BOARD_PANEL_SECONDS out of one turn of all of them,
 * by one keyframe animation started later for each panel. `held` shows one panel still.
 */
function turnsCss(count: number, held: number | null): string {
  if (held !== null || count === 1) {
    const index = held === null ? 1 : Math.min(held, count);
    return `.panel:nth-child(${index}) { opacity: 1; visibility: visible; } .dot:nth-child(${index}) { background: var(--accent); }
@media ${PHONE_MEDIA} { .panel:not(:nth-child(${index})) { display: none; } }`;
  }
  const turn = count * BOARD_PANEL_SECONDS;
  const share = 100 / count;
  const fade = Math.min(2, share / 10);
  const pct = (n: number) => `${n.toFixed(3)}%`;
  const frames = (name: string, f: number) =>
    `@keyframes ${name} { 0% { opacity: 0; visibility: visible; } ${pct(f)} { opacity: 1; } ${pct(share - f)} { opacity: 1; visibility: visible; } ${pct(share)} { opacity: 0; visibility: hidden; } 100% { opacity: 0; visibility: hidden; } }`;
  // Each panel starts its turn as much earlier as its fade-in lasts, so the first one is fully
  // shown the moment the page (re)loads, and one has faded out as the next has faded in.
  const fadeSeconds = (fade / 100) * turn;
  const delay = (i: number) => Number((i * BOARD_PANEL_SECONDS - fadeSeconds).toFixed(3));
  const delays = Array.from(
    { length: count },
    (_, i) =>
      `.panel:nth-child(${i + 1}) { animation-delay: ${delay(i)}s; } .dot:nth-child(${i + 1}) { animation-delay: ${i * BOARD_PANEL_SECONDS}s; }`,
  ).join("\n");
  return `${frames("board-turn", fade)}
${frames("board-turn-still", 0.001)}
@keyframes board-dot { 0% { background: var(--accent); } ${pct(share)} { background: var(--accent); } ${pct(share + 0.001)} { background: #d9cfc3; } 100% { background: #d9cfc3; } }
.panel { animation: board-turn ${turn}s linear infinite backwards; }
.dot { animation: board-dot ${turn}s step-end infinite backwards; }
@media (prefers-reduced-motion: reduce) { .panel { animation-name: board-turn-still; } }
${delays}
@media ${PHONE_MEDIA} { .panel { animation: none; opacity: 1; visibility: visible; } .dots { display: none; } }`;
}

/** Whole turns of the panels, at least BOARD_REFRESH_MIN_SECONDS: the reload comes back to the first. */
export function refreshSeconds(panels: number): number {
  const turn = panels * BOARD_PANEL_SECONDS;
  return Math.ceil(BOARD_REFRESH_MIN_SECONDS / turn) * turn;
}

/**
 * The last checkpoint of the chain, small in the footer: its day, entry count and the first 16
 * characters of its head in groups of four, enough to compare with a printed board later.
 */
function checkpointLine(board: Board, locale: Locale, trh: Trs["trh"]): string {
  const c = board.checkpoint;
  if (c === null) return "";
  const head = c.head.slice(0, 16).replace(/(.{4})(?!$)/g, "$1 ");
  return `<span class="checkpoint" dir="auto">${trh("board.checkpoint", { date: c.day, count: figure(c.entries, locale), head })}</span>`;
}

/** The language switch in the footer: plain links, each language named in its own script. */
function languageSwitch(path: string, locale: Locale, tr: Tr): string {
  const at = (l: Locale) => {
    const url = new URL(path, "http://board.invalid");
    url.searchParams.set("lang", l);
    return url.pathname + url.search;
  };
  const links = LOCALES.map(
    (l) =>
      `<a href="${esc(at(l))}" ${langAttrs(l)} hreflang="${l}"${l === locale ? ` aria-current="true"` : ""}>${esc(LOCALE_NAMES[l])}</a>`,
  ).join("");
  return `<nav class="langs" aria-label="${esc(tr("board.lang"))}">${links}</nav>`;
}

function boardPage(
  board: Board,
  nowMs: number,
  held: number | null,
  locale: Locale,
  path: string,
): { html: string; panels: number } {
  const tr: Tr = (key, vars = {}) => t(key, vars, locale);
  const words: Trs = { tr, trh: (key, vars = {}) => messageHtml(key, vars, locale) };
  const panels = [
    ...noticePanels(board, words, locale),
    ...honourPanels(board, words, locale),
    marketPanel(board, words, locale),
    signedPanel(board, words, locale),
    totalsPanel(board, words, locale),
  ];
  const [year, month] = board.month.split("-");
  const dots =
    panels.length > 1
      ? `<div class="dots" aria-hidden="true">${panels.map(() => `<span class="dot"></span>`).join("")}</div>`
      : "";
  // Chinese and English show the time without its year, as they always have; Uyghur as the kiosk writes it.
  const updated = locale === "ug" ? minuteText(nowMs, locale) : minuteText(nowMs, locale).slice(5);
  const html = `<!doctype html><html ${langAttrs(locale)}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(board.village.name)} · ${esc(tr("board.title"))}</title><style>${locale === "ug" ? PAGE_FONT_FACES : ""}${BOARD_CSS}
${turnsCss(panels.length, held)}</style></head>
<body><header class="bar"><h1 class="title"><bdi class="village">${esc(board.village.name)}</bdi>${esc(tr("board.title"))}</h1>
<div class="meta">${words.trh("board.month", { year: year ?? "", month: String(Number(month ?? "1")) })} · ${words.trh("board.updated", { time: updated })}</div></header>
<main class="panels">${panels.join("\n")}</main>
<footer>${dots}<span>${esc(tr("board.footer"))}</span>${checkpointLine(board, locale, words.trh)}${languageSwitch(path, locale, tr)}</footer></body></html>`;
  return { html, panels: panels.length };
}

function unknownBoardPage(locale: Locale): string {
  const tr: Tr = (key, vars = {}) => t(key, vars, locale);
  return `<!doctype html><html ${langAttrs(locale)}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(tr("board.unknown.title"))}</title><style>${locale === "ug" ? PAGE_FONT_FACES : ""}${BOARD_CSS}</style></head>
<body class="unknown"><main><h1>${esc(tr("board.unknown.title"))}</h1><p>${esc(tr("board.unknown.body"))}</p></main></body></html>`;
}

const BOARD_CSS = `
:root { --accent: #b4231f; --ink: #1f2933; --muted: #52606d; --bg: #f6f1ea; --card: #fff; --plus: #1d6b3a; --minus: #a61b1b; --text-body: clamp(18px, min(2vw, 3.4vh), 40px); }
* { box-sizing: border-box; }
html, body { height: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: var(--text-body); line-height: 1.45; display: flex; flex-direction: column; overflow: hidden; }
:lang(ug) { font-family: "Noto Sans Arabic", "UKIJ Tuz Tom", "Microsoft Uighur", "Noto Sans CJK SC", "DejaVu Sans", sans-serif; }
.bar { display: flex; justify-content: space-between; align-items: baseline; flex-wrap: wrap; gap: 0 1em; padding: .5em 1.2em; background: linear-gradient(160deg, #c62f27, #8f1914); color: #fff; }
.title { font-size: 1.5em; font-weight: 800; letter-spacing: .05em; margin: 0; }
.title:lang(ug) { letter-spacing: 0; }
.village { margin-inline-end: .5em; }
.meta { font-size: .9em; opacity: .9; }
.panels { position: relative; flex: 1; min-height: 0; }
.panel { position: absolute; inset: 0; margin: .8em 1.2em; padding: .6em 1em; background: var(--card); border-radius: .6em; box-shadow: 0 .2em .8em rgba(31,41,51,.08); overflow: hidden; opacity: 0; visibility: hidden; }
h2 { font-size: 1.25em; margin: 0 0 .3em; color: var(--accent); }
h2 .aside { font-size: .7em; color: var(--muted); font-weight: 400; margin-inline-start: .5em; }
h3 { font-size: 1em; margin: .8em 0 .2em; color: var(--muted); }
table { width: 100%; border-collapse: collapse; }
th { text-align: start; font-weight: 600; color: var(--muted); font-size: .8em; border-bottom: 2px solid #e4e7eb; padding: .2em .4em; }
td { padding: .3em .4em; border-bottom: 1px solid #eef0f2; }
th.num, td.num { text-align: end; }
td.num { white-space: nowrap; }
td.name, td.status, td.month { white-space: nowrap; }
td.num { font-weight: 700; font-variant-numeric: tabular-nums; }
.plus { color: var(--plus); font-weight: 700; }
.minus { color: var(--minus); font-weight: 700; }
.tag { display: inline-block; font-size: .75em; border: 1px solid currentColor; border-radius: .3em; padding: 0 .3em; }
.tag.disputed { color: var(--accent); }
bdi.v { white-space: nowrap; }
.how { color: var(--muted); font-size: .8em; margin: .5em 0 0; }
.empty { color: var(--muted); font-size: 1.1em; margin: 1em 0; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 2.5em; align-items: start; }
.rank { display: inline-grid; place-items: center; min-width: 1.7em; height: 1.7em; border-radius: 50%; background: #eef0f2; font-weight: 700; }
.rank-1 { background: #e7b416; color: #3b2a00; } .rank-2 { background: #c5ccd3; } .rank-3 { background: #d39b6a; color: #3b2200; }
.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1em; margin: .4em 0; }
.figure { background: var(--bg); border-radius: .5em; padding: .4em .8em; text-align: center; }
.figure .label { color: var(--muted); }
.figure .value { font-size: 2.4em; font-weight: 800; line-height: 1.1; font-variant-numeric: tabular-nums; }
.stars { color: #b7791f; letter-spacing: .05em; white-space: nowrap; font-size: .85em; }
bdi.honour { font-size: 1.1em; }
.plus.small { font-weight: 600; font-size: .85em; }
.signed { list-style: none; margin: 0; padding: 0; display: grid; gap: .4em; }
.signed-month { border-top: 1px solid #eef0f2; padding-top: .2em; }
.signed-month:first-child { border-top: 0; }
.signed-month h3 { margin: .1em 0; color: var(--ink); }
.signed-figures { display: grid; grid-template-columns: repeat(5, 1fr); gap: .4em; margin: 0; }
.signed-figures div { background: var(--bg); border-radius: .4em; padding: .1em .5em; text-align: center; }
.signed-figures dt { color: var(--muted); font-size: .75em; }
.signed-figures dd { margin: 0; font-weight: 800; font-size: 1.2em; font-variant-numeric: tabular-nums; }
.signed-by { color: var(--muted); font-size: .75em; margin: .2em 0 0; }
.keep { white-space: nowrap; }
.digest { font-family: "Noto Sans Mono", "DejaVu Sans Mono", monospace; color: var(--ink); font-weight: 700; white-space: nowrap; }
.hash { font-family: "Noto Sans Mono", "DejaVu Sans Mono", monospace; font-size: 1.05em; font-weight: 700; letter-spacing: .04em; overflow-wrap: anywhere; margin: .2em 0; }
footer { display: flex; align-items: center; justify-content: center; gap: 1em; color: var(--muted); font-size: .7em; padding: 0 1em .6em; }
footer { flex-wrap: wrap; row-gap: .2em; }
footer .checkpoint { order: 10; flex-basis: 100%; text-align: center; font-size: .9em; }
footer .checkpoint bdi:last-child { font-family: ui-monospace, monospace; letter-spacing: .02em; }
.dots { display: flex; gap: .5em; }
.dot { width: .9em; height: .9em; border-radius: 50%; background: #d9cfc3; }
.langs { display: flex; gap: .4em; }
.langs a { display: inline-flex; align-items: center; min-height: 24px; padding: 0 .5em; border: 1px solid #9aa5b1; border-radius: 1em; color: var(--ink); text-decoration: none; }
.langs a[aria-current] { border-color: var(--accent); color: var(--accent); font-weight: 700; }
@media ${PHONE_MEDIA} {
  html, body { height: auto; }
  body { overflow: visible; min-height: 100vh; }
  .panels { position: static; flex: none; }
  .panel { position: static; overflow: visible; }
  td.date, th.date, td.count, th.count { display: none; }
  /* On a phone the row keeps what matters: who, what, the points, and whether it is disputed
     (the day its notice ends is on the household's own card page). */
  td.status { white-space: normal; }
  .until { display: none; }
  .columns { grid-template-columns: 1fr; gap: 0; }
  .columns > table:nth-child(2) thead { display: none; }
  .figure .value { font-size: 1.6em; }
  .figures { grid-template-columns: repeat(auto-fit, minmax(7.5em, 1fr)); }
  .signed-figures { grid-template-columns: repeat(auto-fit, minmax(5.5em, 1fr)); }
  .panel { margin: .6em .5em; padding: .5em .7em; }
  .bar { padding: .4em .7em; }
}
body.unknown { align-items: center; justify-content: center; text-align: center; padding: 2em; }
body.unknown h1 { color: var(--accent); }
`;
