import { lang, t } from "../i18n/index.ts";
import { formatDateTime, localDateParts } from "../../ui/format.ts";
import type { RecentSale } from "../state/store.ts";
import { Msg } from "./Msg.tsx";
import { Points } from "./Points.tsx";

export interface SaleSummaryProps {
  sale: RecentSale;
}

/** One sale made on this kiosk, as the clerk sees it in the staff screen. */
export function SaleSummary({ sale }: SaleSummaryProps) {
  return (
    <div class="sale-summary">
      <bdi class="num sale-no">{sale.receiptNo}</bdi>
      <bdi class="sale-name">{sale.householdName}</bdi>
      <span class="sale-points">
        <Msg id="common.points" values={{ points: <Points value={sale.totalPoints} /> }} />
      </span>
      <bdi class="num sale-time">
        {formatDateTime(localDateParts(new Date(sale.createdAt)), lang.value)}
      </bdi>
      {sale.voided && <span class="tag">{t("receipt.voided")}</span>}
    </div>
  );
}
