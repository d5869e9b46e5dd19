/**
 * The month-end statement as an A4 page to print (landscape: eleven columns of figures), in
 * Chinese from the message catalog, with the two signatures and, once frozen, the digest. Pure: a
 * statement in, HTML out.
 */
import { esc, t } from "../i18n/catalog.ts";
import { shanghaiMinute } from "../shared/calendar.ts";
import { STOCK_SOURCES } from "./goods-store.ts";
import type { MarketStatement, SignerRole } from "./reconciliation.ts";
import type { LineTotals, StatementLine } from "./reconciliation-lines.ts";

const SOURCE_KEYS = {
  donation: "recon.in.donation",
  government: "recon.in.government",
  village: "recon.in.village",
  other: "recon.in.other",
} as const;
const ROLE_KEYS = { clerk: "recon.role.clerk", village_admin: "recon.role.village_admin" } as const;

function cells(l: LineTotals): string {
  const n = (x: number) => `<td class="num">${esc(x)}</td>`;
  return [
    n(l.opening),
    ...STOCK_SOURCES.map((s) => n(l.in[s])),
    n(l.sold),
    n(l.voided),
    n(l.writtenOff),
    n(l.countedDifference),
    n(l.closing),
  ].join("");
}

function lineRow(l: StatementLine): string {
  return `<tr><th scope="row">${esc(l.name)}</th>${cells(l)}<td class="donors">${esc(l.donors.join("、"))}</td></tr>`;
}

function signatureBox(statement: MarketStatement, role: SignerRole): string {
  const sig = statement.signatures.find((s) => s.role === role);
  const body =
    sig === undefined
      ? `<span class="unsigned">${esc(t("recon.unsigned"))}</span>`
      : `<b><bdi>${esc(sig.name)}</bdi></b><br><span class="when">${esc(t("recon.signedAt", { time: shanghaiMinute(Date.parse(sig.signedAt)) }))}</span>`;
  return `<div class="sig"><div class="role">${esc(t(ROLE_KEYS[role]))}</div><div class="who">${body}</div></div>`;
}

export function reconciliationHtml(statement: MarketStatement): string {
  const title = t("recon.title", { village: statement.villageName });
  const month = t("recon.month", {
    year: statement.month.slice(0, 4),
    month: Number(statement.month.slice(5, 7)),
  });
  const state = statement.frozen
    ? statement.intact === false
      ? `<p class="state bad">${esc(t("recon.altered"))}</p>`
      : `<p class="state ok">${esc(t("recon.frozen", { time: shanghaiMinute(Date.parse(statement.frozenAt!)), digest: statement.digest!.slice(0, 16) }))}</p>`
    : `<p class="state">${esc(t(statement.ended ? "recon.open" : "recon.notEnded"))}</p>`;
  const head = `<tr><th scope="col" rowspan="2">${esc(t("recon.goods"))}</th><th scope="col" rowspan="2" class="num">${esc(t("recon.opening"))}</th><th scope="colgroup" colspan="4">${esc(t("recon.in"))}</th><th scope="col" rowspan="2" class="num">${esc(t("recon.sold"))}</th><th scope="col" rowspan="2" class="num">${esc(t("recon.voided"))}</th><th scope="col" rowspan="2" class="num">${esc(t("recon.writtenOff"))}</th><th scope="col" rowspan="2" class="num">${esc(t("recon.counted"))}</th><th scope="col" rowspan="2" class="num">${esc(t("recon.closing"))}</th><th scope="col" rowspan="2">${esc(t("recon.donors"))}</th></tr>
<tr>${STOCK_SOURCES.map((s) => `<th scope="col" class="num">${esc(t(SOURCE_KEYS[s]))}</th>`).join("")}</tr>`;
  const body =
    statement.lines.length === 0
      ? `<tr><td colspan="12" class="empty">${esc(t("recon.empty"))}</td></tr>`
      : statement.lines.map(lineRow).join("");
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} ${esc(month)}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
* { box-sizing: border-box; }
body { margin: 0; color: #1f2933; font: 10pt/1.45 "Noto Sans CJK SC", "Noto Sans SC", sans-serif; }
h1 { font-size: 16pt; margin: 0; text-align: center; }
.month { text-align: center; font-size: 12pt; margin: 1mm 0 3mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.25mm solid #7b8794; padding: 1mm 1.5mm; text-align: start; vertical-align: top; }
thead th { background: #f0f2f5; text-align: center; }
.num { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
thead th.num { text-align: center; }
tfoot th, tfoot td { font-weight: 700; }
.donors { font-size: 9pt; }
.units { font-size: 9pt; color: #52606d; text-align: end; margin: 0 0 1mm; }
.empty { text-align: center; color: #52606d; padding: 4mm; }
dl { display: flex; gap: 8mm; margin: 3mm 0; } dt { color: #52606d; } dd { margin: 0 0 0 1mm; font-weight: 700; }
dl div { display: flex; }
.sigs { display: flex; gap: 10mm; margin-top: 6mm; break-inside: avoid; }
.sig { flex: 1; border: 0.3mm solid #7b8794; border-radius: 2mm; padding: 3mm; min-height: 22mm; }
h2 { font-size: 11pt; margin: 5mm 0 0; }
.role { color: #52606d; } .who { font-size: 12pt; margin-top: 2mm; } .when { font-size: 9pt; color: #52606d; } .unsigned { color: #9aa5b1; }
.state { margin-top: 4mm; font-size: 9pt; color: #52606d; } .state.ok { color: #14532d; } .state.bad { color: #a61b1b; font-weight: 700; }
@media screen { body { background: #f5f7fa; padding: 8mm; } main { background: #fff; padding: 8mm; max-width: 273mm; margin: 0 auto; } }
</style></head><body><main>
<h1>${esc(title)}</h1><p class="month">${esc(month)}</p>
<p class="units">${esc(t("recon.units"))}</p>
<table><thead>${head}</thead><tbody>${body}</tbody>
<tfoot><tr><th scope="row">${esc(t("recon.totals"))}</th>${cells(statement.totals)}<td></td></tr></tfoot></table>
<dl><div><dt>${esc(t("recon.sales"))}</dt><dd>${esc(statement.sales)}</dd></div><div><dt>${esc(t("recon.voids"))}</dt><dd>${esc(statement.voids)}</dd></div><div><dt>${esc(t("recon.pointsRedeemed"))}</dt><dd>${esc(statement.pointsRedeemed)}</dd></div></dl>
<h2>${esc(t("recon.signatures"))}</h2>
<div class="sigs">${signatureBox(statement, "clerk")}${signatureBox(statement, "village_admin")}</div>
${state}
</main></body></html>`;
}
