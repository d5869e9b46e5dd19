/**
 * The points statement for the bank (积分贷), as two public pages reached only by the statement's
 * random code (src/statements/statement.ts):
 * - `/s/:code`: the one-page A4 statement to print: the household (full name: the bank lends to a
 *   named person, and only the holder of the code reaches this page), the village, the honour
 *   score and star tier, the twelve months by category, the date, the number, the digest and a QR
 *   code (SVG) of the verification page;
 * - `/v/:code`: the verification page a credit cooperative opens from the QR code, without an
 *   account: the statement's figures beside the ledger's now, and a verdict in plain words. It shows
 *   nothing of the household beyond what the statement states.
 * An unknown code is a friendly 404 page. Both are rate-limited per client address.
 */
import type { Database } from "bun:sqlite";
import type { Context, Hono } from "hono";
import QRCode from "qrcode";
import type { AppEnv } from "../http/env.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import type { Clock } from "../shared/clock.ts";
import { MINUTE_MS } from "../shared/clock.ts";
import { shanghaiMinute } from "../shared/calendar.ts";
import { esc, t, type MessageKey } from "../i18n/catalog.ts";
import { maskName } from "../villages/names.ts";
import { postDueEntries } from "../ledger/posting.ts";
import { findStatementByCode } from "../statements/statement-store.ts";
import {
  intact,
  plausibleCode,
  snapshotOf,
  statementUrls,
  verifyStatement,
  type Figures,
  type StatementSnapshot,
  type Verdict,
} from "../statements/statement.ts";
import type { MonthFigures } from "../statements/honour.ts";

/** A bank clerk checks a few statements; a guesser tries many. */
export const STATEMENT_PAGE_READS_PER_MINUTE = 30;

export function registerStatementPages(
  app: Hono<AppEnv>,
  db: Database,
  clock: Clock,
  options: { publicUrl: string },
): void {
  const limiter = new RateLimiter(STATEMENT_PAGE_READS_PER_MINUTE, MINUTE_MS);
  const TOO_MANY = "Too many statement look-ups from this address.";
  const headers = (c: Context<AppEnv>) => {
    c.header("cache-control", "no-store");
    c.header("x-robots-tag", "noindex");
  };

  app.get("/s/:code", async (c) => {
    const nowMs = clock.nowMs();
    limiter.enforce(c.get("clientAddress")(), nowMs, TOO_MANY);
    headers(c);
    const code = c.req.param("code");
    const row = plausibleCode(code) ? findStatementByCode(db, code) : null;
    if (row === null) return c.html(unknownPage(), 404);
    const { verifyUrl } = statementUrls(options.publicUrl, row.code);
    const qr = await QRCode.toString(verifyUrl, {
      type: "svg",
      errorCorrectionLevel: "M",
      margin: 2,
    });
    const withdrawn = row.withdrawn_at_ms === null ? null : (row.withdrawn_reason ?? "");
    return c.html(
      printPage(snapshotOf(row), {
        digest: row.digest,
        verifyUrl,
        qr,
        withdrawn,
        intact: intact(row),
      }),
    );
  });

  app.get("/v/:code", (c) => {
    const nowMs = clock.nowMs();
    limiter.enforce(c.get("clientAddress")(), nowMs, TOO_MANY);
    headers(c);
    postDueEntries(db, nowMs);
    const found = verifyStatement(db, c.req.param("code"));
    if (found === null) return c.html(unknownPage(), 404);
    return c.html(
      verifyPage(
        found.stated,
        found.now,
        found.verdict,
        found.row.withdrawn_reason,
        found.row.digest,
        nowMs,
      ),
    );
  });
}

const CATEGORY_KEYS: Record<string, MessageKey> = {
  law: "statement.category.law",
  volunteer: "statement.category.volunteer",
  environment: "statement.category.environment",
  family: "statement.category.family",
  civility: "statement.category.civility",
  other: "statement.category.other",
};

/** A rule category as people read it: the built-in ones in words, a village's own as it named it. */
export function categoryName(category: string): string {
  const key = CATEGORY_KEYS[category];
  return key === undefined ? category : t(key);
}

function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}

function monthLabel(month: string): string {
  return t("statement.monthLabel", { year: month.slice(0, 4), month: Number(month.slice(5, 7)) });
}

function monthsTable(months: readonly MonthFigures[]): string {
  const rows = months
    .map((m) => {
      const parts =
        m.byCategory.length === 0
          ? esc(t("statement.noEntries"))
          : m.byCategory
              .map((c) => `${esc(categoryName(c.category))} <b>${esc(signed(c.earned))}</b>`)
              .join("，");
      return `<tr><th scope="row">${esc(monthLabel(m.month))}</th><td>${parts}</td><td class="num">${esc(signed(m.earned))}</td></tr>`;
    })
    .join("");
  const total = months.reduce((sum, m) => sum + m.earned, 0);
  return `<table class="months"><thead><tr><th scope="col">${esc(t("statement.month"))}</th><th scope="col">${esc(t("statement.byCategory"))}</th><th scope="col" class="num">${esc(t("statement.earned"))}</th></tr></thead><tbody>${rows}</tbody><tfoot><tr><th scope="row" colspan="2">${esc(t("statement.total12"))}</th><td class="num">${esc(signed(total))}</td></tr></tfoot></table>`;
}

function stars(star: number, max: number): string {
  return `${"★".repeat(star)}${"☆".repeat(Math.max(0, max - star))}`;
}

function printPage(
  s: StatementSnapshot,
  extra: {
    digest: string;
    verifyUrl: string;
    qr: string;
    withdrawn: string | null;
    intact: boolean;
  },
): string {
  const stamp =
    extra.withdrawn !== null
      ? `<p class="stamp" role="status">${esc(t("statement.withdrawn", { reason: extra.withdrawn }))}</p>`
      : extra.intact
        ? ""
        : `<p class="stamp" role="status">${esc(t("verify.altered"))}</p>`;
  return shell(
    t("statement.title"),
    PRINT_CSS,
    `<main class="sheet">
<header><h1>${esc(t("statement.heading", { village: s.villageName }))}</h1><p class="no">${esc(t("statement.number"))} <b>${esc(s.number)}</b></p></header>
${stamp}
<dl class="facts">
<dt>${esc(t("statement.household"))}</dt><dd><bdi>${esc(s.headName)}</bdi></dd>
<dt>${esc(t("statement.village"))}</dt><dd>${esc(s.villageName)}</dd>
<dt>${esc(t("statement.issuedOn"))}</dt><dd>${esc(s.issuedOn)}</dd>
<dt>${esc(t("statement.honour"))}</dt><dd><span class="big">${esc(s.honourScore)}</span> <span class="about">${esc(t("statement.honour.about"))}</span></dd>
<dt>${esc(t("statement.star"))}</dt><dd><span class="stars" aria-hidden="true">${stars(s.star, s.starsMax)}</span> ${esc(t("statement.stars", { star: s.star, max: s.starsMax }))}</dd>
</dl>
<h2>${esc(t("statement.months"))}</h2>
${monthsTable(s.months)}
<section class="verify"><div class="qr">${extra.qr}</div><div><p><b>${esc(t("statement.verify.hint"))}</b></p><p class="url">${esc(extra.verifyUrl)}</p><p class="digest">${esc(t("statement.digest"))} ${esc(extra.digest.slice(0, 16))}</p></div></section>
<footer>${esc(t("statement.footer"))}</footer>
</main>`,
  );
}

const VERDICT_KEYS: Record<Verdict, MessageKey> = {
  current: "verify.current",
  changed: "verify.changed",
  withdrawn: "verify.withdrawn",
  altered: "verify.altered",
};

function verifyPage(
  stated: StatementSnapshot,
  now: Figures,
  verdict: Verdict,
  reason: string | null,
  digest: string,
  nowMs: number,
): string {
  const good = verdict === "current";
  const nowByMonth = new Map(now.months.map((m) => [m.month, m]));
  const rows = stated.months
    .map((m) => {
      const current = nowByMonth.get(m.month)?.earned ?? 0;
      return `<tr${current === m.earned ? "" : ` class="differs"`}><th scope="row">${esc(monthLabel(m.month))}</th><td class="num">${esc(signed(m.earned))}</td><td class="num">${esc(signed(current))}</td></tr>`;
    })
    .join("");
  const line = (label: string, a: string, b: string) =>
    `<tr${a === b ? "" : ` class="differs"`}><th scope="row">${esc(label)}</th><td class="num">${esc(a)}</td><td class="num">${esc(b)}</td></tr>`;
  return shell(
    t("verify.title"),
    VERIFY_CSS,
    `<main>
<h1>${esc(t("verify.title"))}</h1>
<p class="verdict ${good ? "ok" : "bad"}" role="status">${esc(t(VERDICT_KEYS[verdict], { reason: reason ?? "" }))}</p>
<dl class="facts"><dt>${esc(t("statement.number"))}</dt><dd>${esc(stated.number)}</dd><dt>${esc(t("statement.issuedOn"))}</dt><dd>${esc(stated.issuedOn)}</dd><dt>${esc(t("statement.village"))}</dt><dd>${esc(stated.villageName)}</dd><dt>${esc(t("statement.household"))}</dt><dd><bdi>${esc(maskName(stated.headName))}</bdi></dd></dl>
<table><thead><tr><th scope="col"></th><th scope="col" class="num">${esc(t("verify.stated"))}</th><th scope="col" class="num">${esc(t("verify.now"))}</th></tr></thead>
<tbody>${line(t("statement.honour"), String(stated.honourScore), String(now.honourScore))}${line(t("statement.star"), t("statement.stars", { star: stated.star, max: stated.starsMax }), t("statement.stars", { star: now.star, max: now.starsMax }))}${rows}</tbody></table>
<p class="small">${esc(t("verify.checkedAt", { time: shanghaiMinute(nowMs) }))} · ${esc(t("statement.digest"))} ${esc(digest.slice(0, 16))}</p>
<p class="small">${esc(t("verify.about"))}</p>
</main>`,
  );
}

function unknownPage(): string {
  return shell(
    t("statement.unknown.title"),
    VERIFY_CSS,
    `<main><h1>${esc(t("statement.unknown.title"))}</h1><p class="verdict bad">${esc(t("statement.unknown.body"))}</p></main>`,
  );
}

function shell(title: string, css: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${css}</style></head><body>${body}</body></html>`;
}

const BASE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; color: #1f2933; font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; line-height: 1.5; }
table { width: 100%; border-collapse: collapse; }
th, td { border-bottom: 1px solid #cbd2d9; padding: 1.5mm 2mm; text-align: start; vertical-align: top; }
.num { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 1.5mm 6mm; margin: 0 0 5mm; }
dl.facts dt { color: #52606d; } dl.facts dd { margin: 0; font-weight: 600; }
`;

const PRINT_CSS = `${BASE_CSS}
@page { size: A4; margin: 15mm 16mm; }
body { font-size: 11pt; }
.sheet { max-width: 178mm; margin: 0 auto; }
header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 0.6mm solid #b4231f; padding-bottom: 2mm; margin-bottom: 5mm; gap: 4mm; }
h1 { font-size: 17pt; margin: 0; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; }
.no { margin: 0; white-space: nowrap; }
.big { font-size: 20pt; font-weight: 800; }
.about { font-weight: 400; color: #52606d; font-size: 9pt; }
.stars { color: #b4231f; letter-spacing: 0.5mm; }
.months tbody th { font-weight: 600; white-space: nowrap; }
.months tfoot th, .months tfoot td { font-weight: 700; border-bottom: 0; }
.verify { display: flex; gap: 6mm; align-items: center; margin-top: 6mm; border: 0.3mm solid #9aa5b1; border-radius: 2mm; padding: 4mm; break-inside: avoid; }
.qr { width: 38mm; height: 38mm; flex: none; } .qr svg { width: 100%; height: 100%; }
.url { font-size: 9pt; word-break: break-all; margin: 1mm 0; }
.digest { font-size: 9pt; color: #52606d; margin: 0; font-family: monospace; }
.stamp { border: 0.8mm solid #a61b1b; color: #a61b1b; font-size: 14pt; font-weight: 800; text-align: center; padding: 2mm; }
footer { margin-top: 6mm; font-size: 9pt; color: #52606d; text-align: center; }
@media screen { body { background: #f5f7fa; padding: 8mm 0; } .sheet { background: #fff; padding: 12mm; box-shadow: 0 1mm 4mm rgba(0,0,0,.1); } }
`;

const VERIFY_CSS = `${BASE_CSS}
body { background: #f6f1ea; font-size: 18px; }
main { max-width: 640px; margin: 0 auto; padding: 20px 16px; }
h1 { font-size: 26px; margin: 0 0 14px; }
.verdict { border-radius: 14px; padding: 16px 18px; font-size: 20px; font-weight: 700; margin: 0 0 18px; }
.verdict.ok { background: #e3f4e8; color: #14532d; }
.verdict.bad { background: #fde8e8; color: #8a1c1c; }
table { background: #fff; border-radius: 12px; }
tr.differs td { color: #a61b1b; font-weight: 700; }
.small { color: #52606d; font-size: 15px; }
`;
