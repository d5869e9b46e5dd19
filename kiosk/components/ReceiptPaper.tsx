import type { Receipt } from "../api-types.ts";
import { lang, t } from "../i18n/index.ts";
import { formatDateTime, localDateParts } from "../../ui/format.ts";
import { Points } from "./Points.tsx";
import { ReceiptFigures } from "./ReceiptFigures.tsx";

export interface ReceiptPaperProps {
  receipt: Receipt;
  /** "screen": the on-screen receipt; "print": the 58 mm slip, shown only by @media print. */
  variant: "screen" | "print";
}

/** The receipt, the same on screen and on paper, so paper is never the only record. */
export function ReceiptPaper({ receipt: r, variant }: ReceiptPaperProps) {
  const when = formatDateTime(localDateParts(new Date(r.createdAt)), lang.value);
  return (
    <article
      class={variant === "print" ? "receipt receipt-print" : "receipt receipt-card"}
      aria-label={t("receipt.heading")}
      tabIndex={variant === "screen" ? 0 : -1}
    >
      <h2 class="receipt-heading">{t("receipt.heading")}</h2>
      {r.voided === true && <p class="receipt-voided">{t("receipt.voided")}</p>}
      <dl class="receipt-meta">
        <div>
          <dt>{t("receipt.village")}</dt>
          <dd>
            <bdi>{r.villageName}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t("receipt.household")}</dt>
          <dd>
            <bdi>{r.householdName}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t("receipt.no")}</dt>
          <dd>
            <bdi class="num">{r.receiptNo}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t("receipt.time")}</dt>
          <dd>
            <bdi class="num">{when}</bdi>
          </dd>
        </div>
      </dl>
      <table class="receipt-items">
        <tbody>
          {r.items.map((it) => (
            <tr key={it.goodsId}>
              <td class="ri-name">
                <bdi>{it.name}</bdi>
              </td>
              <td class="ri-qty num">
                <bdi>×{it.quantity}</bdi>
              </td>
              <td class="ri-points">
                <Points value={it.points} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ReceiptFigures
        totalPoints={r.totalPoints}
        balanceAfter={r.balanceAfter}
        listClass="receipt-totals"
        afterClass="rt-after"
      />
      <p class="receipt-thanks">{t("receipt.thanks")}</p>
    </article>
  );
}
