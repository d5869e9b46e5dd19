/**
 * `/`: the start page, where a newcomer (or a township's staff after installing) finds every part
 * of jifen: the kiosk, a resident's card page, each village's public board, the staff pages and
 * the docs. Server-rendered from the message catalog, no script.
 *
 * A production server shows only what is public anyway (village names and their boards). The
 * demo passes a `DemoShowcase` through createApp's config (read in src/demo/main.ts only): its
 * logins and password, the kiosks' pairing addresses and a sample card. Nothing here reads the
 * environment, so a real township's `/` can never list a password.
 *
 * `/docs/` serves the project's own docs (docs/*.md) as pages, so the start page's links to them
 * work on a kiosk PC without internet.
 */
import type { Database } from "bun:sqlite";
import type { Context, Hono } from "hono";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AppEnv } from "../http/env.ts";
import { esc, pickLocale, t, type Locale, type MessageKey } from "../i18n/catalog.ts";
import { MINUTE_MS, type Clock } from "../shared/clock.ts";
import { monthBounds, shanghaiMinute, shanghaiMonth } from "../shared/calendar.ts";
import { periodTotals } from "../ledger/report.ts";

export type StaffRole = "township_admin" | "village_admin" | "clerk";

/** What only the demo shows on its start page. */
export type DemoShowcase = {
  townshipName: string;
  /** The one password of every demo login: the demo database is public. */
  password: string;
  logins: { username: string; role: StaffRole; villageName: string | null }[];
  /** Each village's kiosk pairing address (`/kiosk?pair=…`), by village id. */
  kioskPairPaths: { villageId: number; path: string }[];
  /** A resident's card page (`/c/…`). */
  sampleCardPath: string;
  /** A village's printable card sheet: staff only. */
  cardSheetPath: string;
};

export const DOCS_DIR = join(import.meta.dir, "..", "..", "docs");

/** The project's docs the start page links, in reading order. */
const DOCS: readonly { file: string; title: MessageKey; about: MessageKey }[] = [
  { file: "domain.md", title: "start.docs.domain", about: "start.docs.domain.about" },
  { file: "api.md", title: "start.docs.api", about: "start.docs.api.about" },
  { file: "admin.md", title: "start.docs.admin", about: "start.docs.admin.about" },
  { file: "kiosk.md", title: "start.docs.kiosk", about: "start.docs.kiosk.about" },
  { file: "operations.md", title: "start.docs.operations", about: "start.docs.operations.about" },
  { file: "style.md", title: "start.docs.style", about: "start.docs.style.about" },
];

const ROLE_LABEL: Readonly<Record<StaffRole, MessageKey>> = {
  township_admin: "start.role.township_admin",
  village_admin: "start.role.village_admin",
  clerk: "start.role.clerk",
};

type VillageLine = {
  id: number;
  name: string;
  notice_days: number;
  require_approval: number;
  households: number;
};

/** The villages and the township's month at a glance, as the public boards show it village by village. */
type Glance = {
  atMs: number;
  villages: VillageLine[];
  month: string;
  inNotice: number;
  awarded: number;
  redeemed: number;
};

/** The page is public and unthrottled: what it reads is read at most once a minute. */
const GLANCE_MAX_AGE_MS = MINUTE_MS;

export function registerStartPage(
  app: Hono<AppEnv>,
  db: Database,
  clock: Clock,
  demo: DemoShowcase | null,
): void {
  let glance: Glance | null = null;
  app.get("/", (c) => {
    const nowMs = clock.nowMs();
    if (glance === null || nowMs - glance.atMs >= GLANCE_MAX_AGE_MS || nowMs < glance.atMs)
      glance = glanceAt(db, nowMs);
    return c.html(startPage(glance, demo, pickLocale(c.req.header("accept-language"))));
  });
  registerDocsPages(app);
}

function glanceAt(db: Database, nowMs: number): Glance {
  const villages = db
    .query<VillageLine, []>(
      "SELECT v.id, v.name, v.notice_days, v.require_approval, (SELECT count(*) FROM households h WHERE h.village_id = v.id) AS households FROM villages v ORDER BY v.id",
    )
    .all();
  const month = shanghaiMonth(nowMs);
  const { from, to } = monthBounds(month);
  const { totals } = periodTotals(
    db,
    villages.map((v) => v.id),
    from,
    to,
  );
  // `status <> 'posted'` lets SQLite use the partial index of entries not yet posted.
  const inNotice = db
    .query<{ n: number }, []>(
      "SELECT count(*) AS n FROM entries WHERE status IN ('in_notice', 'disputed') AND status <> 'posted'",
    )
    .get()!.n;
  return {
    atMs: nowMs,
    villages,
    month,
    inNotice,
    awarded: totals.awarded,
    redeemed: totals.redeemed,
  };
}

function registerDocsPages(app: Hono<AppEnv>): void {
  const cache = new Map<string, string>();
  const serve = (c: Context<AppEnv>, file: string) => {
    if (!/^[a-z-]+\.md$/.test(file) && file !== "README.md") return c.notFound();
    let page = cache.get(file);
    if (page === undefined) {
      const path = join(DOCS_DIR, file);
      if (!existsSync(path)) return c.notFound();
      page = docPage(readFileSync(path, "utf8"));
      cache.set(file, page);
    }
    return c.html(page);
  };
  app.get("/docs", (c) => c.redirect("/docs/", 301));
  app.get("/docs/", (c) => serve(c, "README.md"));
  app.get("/docs/:file", (c) => serve(c, c.req.param("file")));
}

// ---------------------------------------------------------------------------------------------
// The page

const ICONS = {
  kiosk:
    '<rect x="8" y="5" width="32" height="24" rx="3"/><path d="M18 29l-2 9h16l-2-9M14 42h20"/><path d="M16 14h16M16 20h10"/>',
  card: '<rect x="5" y="10" width="38" height="28" rx="4"/><rect x="11" y="16" width="10" height="10" rx="1"/><path d="M27 18h10M27 24h7M11 32h26"/>',
  board:
    '<rect x="6" y="7" width="36" height="26" rx="3"/><path d="M12 15h14M12 21h24M12 27h18M17 33l-3 9M31 33l3 9"/>',
  staff: '<circle cx="24" cy="15" r="7"/><path d="M10 41c1-8 7-13 14-13s13 5 14 13"/>',
  docs: '<path d="M12 5h17l9 9v29H12z"/><path d="M29 5v9h9M18 24h14M18 30h14M18 36h9"/>',
} as const;

function icon(name: keyof typeof ICONS): string {
  return `<svg class="icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">${ICONS[name]}</svg>`;
}

function startPage(glance: Glance, demo: DemoShowcase | null, locale: Locale): string {
  const { villages } = glance;
  const tr = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    esc(t(key, vars, locale));
  const first = villages[0];
  const households = villages.reduce((n, v) => n + v.households, 0);
  const kioskOf = (villageId: number) =>
    demo?.kioskPairPaths.find((k) => k.villageId === villageId)?.path ?? null;
  const firstKiosk = first === undefined ? null : kioskOf(first.id);

  const tile = (name: keyof typeof ICONS, title: MessageKey, body: MessageKey, action: string) =>
    `<article class="tile">${icon(name)}<h3>${tr(title)}</h3><p>${tr(body)}</p>${action}</article>`;
  const button = (href: string, label: string, kind = "primary") =>
    `<a class="btn btn-${kind}" href="${esc(href)}">${label}</a>`;

  const tiles = [
    tile(
      "kiosk",
      "start.kiosk.title",
      "start.kiosk.body",
      button(
        firstKiosk ?? "/kiosk",
        first !== undefined && firstKiosk !== null
          ? tr("start.kiosk.openIn", { village: first.name })
          : tr("start.kiosk.open"),
      ),
    ),
    tile(
      "card",
      "start.card.title",
      "start.card.body",
      demo === null
        ? `<p class="aside">${tr("start.card.how")}</p>`
        : button(demo.sampleCardPath, tr("start.card.open")),
    ),
    tile(
      "board",
      "start.board.title",
      "start.board.body",
      first === undefined
        ? `<p class="aside">${tr("start.board.none")}</p>`
        : button(`/board/${first.id}`, tr("start.board.openIn", { village: first.name })),
    ),
    tile(
      "staff",
      "start.staff.title",
      "start.staff.body",
      button("/admin", tr("start.staff.open")),
    ),
  ].join("");

  const villageCards = villages
    .map((v) => {
      const rules = [
        v.notice_days > 0
          ? tr("start.village.notice", { days: v.notice_days })
          : tr("start.village.noNotice"),
        v.require_approval === 1 ? tr("start.village.approval") : null,
      ]
        .filter((x) => x !== null)
        .map((x) => `<li>${x}</li>`)
        .join("");
      const kiosk = kioskOf(v.id);
      return `<li class="village"><div class="village-head"><h3>${esc(v.name)}</h3><span class="count">${tr("start.village.households", { count: v.households })}</span></div>
<ul class="chips">${rules}</ul>
<p class="links"><a href="/board/${v.id}">${tr("start.village.board")}</a>${kiosk === null ? "" : `<a href="${esc(kiosk)}">${tr("start.village.kiosk")}</a>`}</p></li>`;
    })
    .join("");

  const staffLinks = [
    `<li><a href="/admin">${tr("start.staff.admin")}</a><span>${tr(demo === null ? "start.staff.admin.about" : "start.staff.admin.demo")}</span></li>`,
    `<li><a href="/admin/login">${tr("start.staff.login")}</a><span>/admin/login</span></li>`,
    demo === null
      ? ""
      : `<li><a href="${esc(demo.cardSheetPath)}">${tr("start.staff.cardSheet")}</a><span class="tag">${tr("start.staff.needsSignIn")}</span></li>`,
  ].join("");

  const logins =
    demo === null
      ? `<p class="aside">${tr("start.staff.accounts")}</p>`
      : `<div class="logins"><table><caption>${tr("start.logins.caption")} <code>${esc(demo.password)}</code></caption>
<thead><tr><th scope="col">${tr("start.logins.username")}</th><th scope="col">${tr("start.logins.role")}</th><th scope="col">${tr("start.logins.scope")}</th></tr></thead>
<tbody>${demo.logins.map((l) => `<tr><td><code>${esc(l.username)}</code></td><td>${tr(ROLE_LABEL[l.role])}</td><td>${l.villageName === null ? tr("start.logins.township") : esc(l.villageName)}</td></tr>`).join("")}</tbody></table></div>`;

  const docs = [
    ...DOCS.map(
      (d) =>
        `<li><a href="/docs/${d.file}">${icon("docs")}<span><strong>${tr(d.title)}</strong><small>${tr(d.about)}</small></span></a></li>`,
    ),
    `<li><a href="/api/docs">${icon("docs")}<span><strong>${tr("start.docs.openapi")}</strong><small>${tr("start.docs.openapi.about")}</small></span></a></li>`,
  ].join("");

  const place =
    demo === null
      ? ""
      : `<span class="place">${esc(demo.townshipName)}</span><span class="badge">${tr("start.demo.badge")}</span>`;
  const demoNote =
    demo === null
      ? ""
      : `<p class="demo-note">${tr("start.demo.note", { villages: villages.length, households })}</p>`;
  const figure = (value: number, unit: MessageKey, label: MessageKey) =>
    `<div class="figure"><dt>${tr(label)}</dt><dd><span class="value">${value.toLocaleString("en-US")}</span> <span class="unit">${tr(unit)}</span></dd></div>`;
  const glancePanel = `<aside class="glance" aria-labelledby="glance-h"><h2 id="glance-h">${tr("start.glance", { month: Number(glance.month.slice(5)) })}</h2><dl>
${figure(glance.inNotice, "start.glance.entries", "start.glance.inNotice")}${figure(glance.awarded, "start.glance.points", "start.glance.awarded")}${figure(glance.redeemed, "start.glance.points", "start.glance.redeemed")}</dl>
<p class="as-of">${tr("start.glance.asOf", { time: shanghaiMinute(glance.atMs) })}</p></aside>`;

  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${demo === null ? "" : `${esc(demo.townshipName)} · `}${tr("start.title")}</title><style>${START_CSS}</style></head>
<body><header class="top"><div class="wrap top-row"><a class="brand" href="/"><span class="mark" aria-hidden="true">积</span><span class="brand-name">${tr("start.brand")}</span></a>${place}
<a class="btn btn-quiet sign-in" href="/admin/login"><span class="wide-only">${tr("start.signIn.staff")}</span>${tr("start.signIn")}</a></div></header>
<main class="wrap">
<section class="hero"><div class="hero-text"><h1>${tr("start.headline")}</h1><p class="lead">${tr("start.lead")}</p>${demoNote}</div>${glancePanel}</section>
<section aria-labelledby="open-h"><h2 id="open-h" class="visually-hidden">${tr("start.open")}</h2><div class="tiles">${tiles}</div></section>
<section aria-labelledby="villages-h"><h2 id="villages-h">${tr("start.villages")}</h2><p class="section-lead">${tr("start.villages.lead")}</p><ul class="villages">${villageCards}</ul></section>
<section aria-labelledby="staff-h" class="staff"><h2 id="staff-h">${tr("start.staff")}</h2><p class="section-lead">${tr(demo === null ? "start.staff.lead" : "start.staff.lead.demo")}</p>
<div class="staff-grid"><ul class="staff-links">${staffLinks}</ul>${logins}</div></section>
<section aria-labelledby="docs-h"><h2 id="docs-h">${tr("start.docs")}</h2><ul class="docs">${docs}</ul></section>
</main><footer><div class="wrap">${tr("start.footer")}</div></footer></body></html>`;
}

/** A doc as a page: the docs are written in English; the frame is the start page's. */
function docPage(markdown: string): string {
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1] ?? "jifen";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${START_CSS}${DOC_CSS}</style></head>
<body><header class="top"><div class="wrap top-row"><a class="brand" href="/"><span class="mark" aria-hidden="true">积</span><span class="brand-name">${esc(t("start.brand"))}</span></a>
<a class="btn btn-quiet sign-in" href="/docs/">${esc(t("start.docs"))}</a></div></header>
<main class="wrap doc">${Bun.markdown.html(markdown)}</main></body></html>`;
}

const START_CSS = `
:root { --accent: #b3261e; --accent-dark: #8a1c16; --gold: #f2c46d; --gold-soft: #fbebc6; --ink: #2b2118; --muted: #5a4636; --line: #e6d8c3; --bg: #fbf5ea; --card: #fff; --ok: #2d6a3a; --tap-min: 48px; --radius: 16px; --shadow: 0 1px 0 rgba(43,33,24,.06), 0 6px 20px rgba(43,33,24,.07); }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 17px; line-height: 1.6; }
a { color: var(--accent-dark); }
a:focus-visible, .btn:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.wrap { inline-size: min(1180px, 100% - 32px); margin-inline: auto; }
.visually-hidden { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.top { background: var(--card); border-block-end: 1px solid var(--line); }
.top-row { display: flex; align-items: center; gap: 12px; min-block-size: 64px; flex-wrap: wrap; }
.brand { display: flex; align-items: center; gap: 10px; color: var(--ink); text-decoration: none; font-weight: 800; font-size: 19px; }
.mark { display: grid; place-items: center; inline-size: 40px; block-size: 40px; border-radius: 12px; background: var(--accent); color: #fff; font-size: 22px; }
.place { color: var(--muted); font-weight: 700; }
.badge { padding: 2px 10px; border-radius: 999px; background: var(--gold-soft); color: #6e3f00; font-size: 14px; font-weight: 700; }
.sign-in { margin-inline-start: auto; }
.btn { display: inline-flex; align-items: center; justify-content: center; min-block-size: var(--tap-min); padding: 8px 20px; border-radius: 12px; font-weight: 700; text-decoration: none; }
.btn-primary { background: var(--accent); color: #fff; }
.btn-quiet { border: 2px solid var(--line); color: var(--ink); background: var(--card); min-block-size: 44px; }
.hero { display: grid; grid-template-columns: minmax(0, 1fr) minmax(260px, 340px); gap: 32px; align-items: center; padding-block: 40px 28px; }
.glance { padding: 18px 22px; border-radius: var(--radius); background: var(--card); box-shadow: var(--shadow); border-block-start: 5px solid var(--accent); }
.glance h2 { margin: 0 0 8px; font-size: 18px; }
.glance dl { margin: 0; display: grid; gap: 6px; }
.figure { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; border-block-end: 1px solid var(--line); padding-block: 4px; }
.figure:last-child { border-block-end: 0; }
.figure dt { color: var(--muted); }
.figure dd { margin: 0; }
.figure .value { font-size: 26px; font-weight: 800; font-variant-numeric: tabular-nums; }
.figure .unit { color: var(--muted); font-size: 15px; }
.as-of { margin: 6px 0 0; color: var(--muted); font-size: 13px; }
.hero h1 { margin: 0 0 8px; font-size: clamp(28px, 4vw, 44px); line-height: 1.25; }
.lead { margin: 0; max-inline-size: 46em; color: var(--muted); font-size: 19px; }
.demo-note { display: inline-block; margin: 16px 0 0; padding: 8px 14px; border-radius: 10px; background: var(--gold-soft); color: #6e3f00; font-weight: 600; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 16px; }
.tile { display: flex; flex-direction: column; gap: 6px; padding: 22px; border-radius: var(--radius); background: var(--card); box-shadow: var(--shadow); }
.tile h3 { margin: 4px 0 0; font-size: 21px; }
.tile p { margin: 0 0 8px; color: var(--muted); flex: 1; }
.tile .btn { align-self: flex-start; }
.icon { inline-size: 44px; block-size: 44px; fill: none; stroke: var(--accent); stroke-width: 2.6; stroke-linecap: round; stroke-linejoin: round; flex: none; }
.aside { color: var(--muted); font-size: 15px; }
section { margin-block-end: 36px; }
section h2 { margin: 0 0 4px; font-size: 24px; }
.section-lead { margin: 0 0 14px; color: var(--muted); }
.villages { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 14px; }
.village { padding: 18px 20px; border-radius: var(--radius); background: var(--card); box-shadow: var(--shadow); }
.village-head { display: flex; align-items: baseline; justify-content: space-between; gap: 8px; }
.village h3 { margin: 0; font-size: 20px; }
.count { color: var(--muted); font-size: 15px; }
.chips { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 10px; padding: 0; }
.chips li { padding: 2px 10px; border-radius: 999px; background: var(--bg); border: 1px solid var(--line); font-size: 14px; }
.links { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0; }
.links a { display: inline-flex; align-items: center; min-block-size: 44px; font-weight: 700; }
.staff-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr); gap: 16px; align-items: start; }
.staff-links { list-style: none; margin: 0; padding: 8px 20px; border-radius: var(--radius); background: var(--card); box-shadow: var(--shadow); }
.staff-links li { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; min-block-size: 52px; border-block-end: 1px solid var(--line); }
.staff-links li:last-child { border-block-end: 0; }
.staff-links a { font-weight: 700; font-size: 18px; }
.staff-links span { color: var(--muted); font-size: 15px; }
.staff-links .tag { padding: 1px 10px; border-radius: 999px; background: #fdecea; color: var(--accent-dark); font-weight: 700; }
.logins { border-radius: var(--radius); background: var(--card); box-shadow: var(--shadow); overflow-x: auto; }
.logins table { inline-size: 100%; border-collapse: collapse; }
.logins caption { text-align: start; padding: 14px 18px 6px; font-weight: 700; }
.logins th, .logins td { padding: 8px 18px; text-align: start; border-block-end: 1px solid var(--line); white-space: nowrap; }
.logins th { color: var(--muted); font-size: 14px; font-weight: 700; }
.logins tr:last-child td { border-block-end: 0; }
code { font-family: "Noto Sans Mono", "DejaVu Sans Mono", monospace; font-size: .95em; background: var(--bg); padding: 1px 6px; border-radius: 6px; }
.docs { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.docs a { display: flex; gap: 14px; align-items: center; padding: 14px 18px; border-radius: var(--radius); background: var(--card); box-shadow: var(--shadow); text-decoration: none; color: var(--ink); min-block-size: 72px; }
.docs .icon { inline-size: 32px; block-size: 32px; stroke: var(--muted); }
.docs strong { display: block; color: var(--accent-dark); }
.docs small { display: block; color: var(--muted); font-size: 14px; line-height: 1.4; }
footer { padding-block: 20px 32px; color: var(--muted); font-size: 14px; border-block-start: 1px solid var(--line); }
@media (max-width: 760px) {
  body { font-size: 16px; }
  .hero { grid-template-columns: 1fr; gap: 16px; padding-block: 24px 16px; }
  .wide-only { display: none; }
  .sign-in { padding-inline: 16px; }
  .staff-grid { grid-template-columns: 1fr; }
  .brand-name { font-size: 17px; }
  .place { display: none; }
}
`;

const DOC_CSS = `
.doc { max-inline-size: 900px; padding-block: 24px 48px; overflow-wrap: anywhere; }
.doc h1 { font-size: 30px; line-height: 1.3; }
.doc h2 { margin-block-start: 32px; font-size: 22px; }
.doc table { border-collapse: collapse; display: block; overflow-x: auto; margin-block: 12px; background: var(--card); }
.doc th, .doc td { border: 1px solid var(--line); padding: 6px 10px; text-align: start; vertical-align: top; }
.doc pre { overflow-x: auto; padding: 12px; background: var(--card); border-radius: 10px; }
.doc pre code { background: none; padding: 0; }
`;
