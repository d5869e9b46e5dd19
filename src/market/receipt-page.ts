/**
 * The receipt as an HTML page for a 58 mm thermal printer: `@page {size: 58mm auto; margin: 0}`
 * and a 48 mm column, which is what such printers really print. Pure: a receipt in, HTML out.
 */
import { esc, t } from "../i18n/catalog.ts";
import { shanghaiMinute } from "../shared/calendar.ts";
import type { Receipt } from "./redemption-store.ts";

/** The receipt's words, from the message catalog (Simplified Chinese, as printed). */
const TEXT = {
  title: t("receipt.title"),
  receiptNo: t("receipt.receiptNo"),
  household: t("receipt.household"),
  time: t("receipt.time"),
  goods: t("receipt.goods"),
  quantity: t("receipt.quantity"),
  points: t("receipt.points"),
  total: t("receipt.total"),
  balanceAfter: t("receipt.balanceAfter"),
  voided: t("receipt.voided"),
  footer: t("receipt.footer"),
} as const;


export function receiptHtml(receipt: Receipt): string {
  const rows = receipt.items
    .map((i) => `<tr><td class="name">${esc(i.name)}<br><span class="unit">${esc(i.pricePoints)} × ${esc(i.quantity)}</span></td><td class="num">${esc(i.points)}</td></tr>`)
    .join("");
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(TEXT.title)} ${esc(receipt.receiptNo)}</title>
<style>
@page { size: 58mm auto; margin: 0; }
html, body { margin: 0; padding: 0; background: #fff; color: #000; }
body { width: 48mm; margin: 0 auto; padding: 2mm 0; font: 11px/1.35 "Noto Sans CJK SC", "Noto Sans SC", sans-serif; }
h1 { font-size: 14px; text-align: center; margin: 0 0 1mm; }
.village { text-align: center; font-size: 12px; margin: 0 0 2mm; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 0 2mm; margin: 0 0 2mm; }
dt { font-weight: bold; } dd { margin: 0; text-align: end; }
table { width: 100%; border-collapse: collapse; border-top: 1px dashed #000; border-bottom: 1px dashed #000; }
th, td { padding: 0.5mm 0; vertical-align: top; } th { text-align: start; font-size: 10px; }
.num { text-align: end; white-space: nowrap; } .unit { font-size: 10px; }
.total { font-size: 13px; font-weight: bold; }
.voided { border: 2px solid #000; text-align: center; font-size: 16px; font-weight: bold; margin: 2mm 0; }
footer { text-align: center; font-size: 10px; margin-top: 2mm; }
</style></head>
<body>
<h1>${esc(TEXT.title)}</h1>
<p class="village">${esc(receipt.villageName)}</p>
${receipt.voided ? `<p class="voided">${esc(TEXT.voided)}</p>` : ""}
<dl>
<dt>${esc(TEXT.receiptNo)}</dt><dd>${esc(String(receipt.receiptNo).padStart(6, "0"))}</dd>
<dt>${esc(TEXT.household)}</dt><dd><bdi>${esc(receipt.householdName)}</bdi></dd>
<dt>${esc(TEXT.time)}</dt><dd>${esc(shanghaiMinute(Date.parse(receipt.createdAt)))}</dd>
</dl>
<table><thead><tr><th>${esc(TEXT.goods)}</th><th class="num">${esc(TEXT.points)}</th></tr></thead><tbody>${rows}</tbody></table>
<dl>
<dt class="total">${esc(TEXT.total)}</dt><dd class="total">${esc(receipt.totalPoints)}</dd>
<dt>${esc(TEXT.balanceAfter)}</dt><dd>${esc(receipt.balanceAfter)}</dd>
</dl>
<footer>${esc(TEXT.footer)}</footer>
</body></html>`;
}
