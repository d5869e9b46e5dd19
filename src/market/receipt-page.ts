/**
 * The receipt as an HTML page for a 58 mm thermal printer: `@page {size: 58mm auto; margin: 0}`
 * and a 48 mm column, which is what such printers really print. In the village's language: a
 * Uyghur village's receipt reads right to left, with the kiosk's figures and dates. Pure: a
 * receipt in, HTML out.
 */
import { esc, langAttrs, t, type Locale } from "../i18n/catalog.ts";
import { figure, minuteText } from "../pages/points.ts";
import { arabicFontFaces } from "../../ui/build.ts";
import type { Receipt } from "./redemption-store.ts";

export function receiptHtml(receipt: Receipt, locale: Locale = "zh-CN"): string {
  const tr = (key: Parameters<typeof t>[0]) => esc(t(key, {}, locale));
  const n = (points: number) => esc(figure(points, locale));
  const rows = receipt.items
    .map(
      (i) =>
        `<tr><td class="name"><bdi>${esc(i.name)}</bdi><br><span class="unit"><bdi>${n(i.pricePoints)} × ${esc(i.quantity)}</bdi></span></td><td class="num"><bdi>${n(i.points)}</bdi></td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html ${langAttrs(locale)}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${tr("receipt.title")} ${esc(receipt.receiptNo)}</title>
<style>
${locale === "ug" ? arabicFontFaces("/") : ""}
@page { size: 58mm auto; margin: 0; }
html, body { margin: 0; padding: 0; background: #fff; color: #000; }
body { width: 48mm; margin: 0 auto; padding: 2mm 0; font: 11px/1.35 "Noto Sans CJK SC", "Noto Sans SC", sans-serif; }
:lang(ug) { font-family: "Noto Sans Arabic", "UKIJ Tuz Tom", "Noto Sans CJK SC", "DejaVu Sans", sans-serif; }
h1 { font-size: 14px; text-align: center; margin: 0 0 1mm; }
.village { text-align: center; font-size: 12px; margin: 0 0 2mm; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 0 2mm; margin: 0 0 2mm; }
dt { font-weight: bold; } dd { margin: 0; text-align: end; }
table { width: 100%; border-collapse: collapse; border-top: 1px dashed #000; border-bottom: 1px dashed #000; }
th, td { padding: 0.5mm 0; vertical-align: top; } th { text-align: start; font-size: 10px; }
.num { text-align: end; white-space: nowrap; } .unit { font-size: 10px; }
.total { font-size: 13px; font-weight: bold; }
.voided { border: 2px solid #000; text-align: center; font-size: 16px; font-weight: bold; margin: 2mm 0; }
.delivery { border: 1px solid #000; text-align: center; font-size: 13px; font-weight: bold; margin: 2mm 0; }
footer { text-align: center; font-size: 10px; margin-top: 2mm; }
</style></head>
<body>
<h1>${tr("receipt.title")}</h1>
<p class="village"><bdi>${esc(receipt.villageName)}</bdi></p>
${receipt.voided ? `<p class="voided">${tr("receipt.voided")}</p>` : ""}
${receipt.delivery !== undefined ? `<p class="delivery">${tr("receipt.delivery")}</p>` : ""}
<dl>
<dt>${tr("receipt.receiptNo")}</dt><dd><bdi>${esc(String(receipt.receiptNo).padStart(6, "0"))}</bdi></dd>
<dt>${tr("receipt.household")}</dt><dd><bdi>${esc(receipt.householdName)}</bdi></dd>
<dt>${tr("receipt.time")}</dt><dd><bdi>${esc(minuteText(Date.parse(receipt.createdAt), locale))}</bdi></dd>
${receipt.delivery?.deliveredBy != null ? `<dt>${tr("receipt.deliveredBy")}</dt><dd><bdi>${esc(receipt.delivery.deliveredBy)}</bdi></dd>` : ""}
</dl>
<table><thead><tr><th>${tr("receipt.goods")}</th><th class="num">${tr("receipt.points")}</th></tr></thead><tbody>${rows}</tbody></table>
<dl>
<dt class="total">${tr("receipt.total")}</dt><dd class="total"><bdi>${n(receipt.totalPoints)}</bdi></dd>
<dt>${tr("receipt.balanceAfter")}</dt><dd><bdi>${n(receipt.balanceAfter)}</bdi></dd>
</dl>
<footer>${tr("receipt.footer")}</footer>
</body></html>`;
}
