import { t } from "../i18n/index.ts";
import { Points } from "./Points.tsx";

type Props = {
  totalPoints: number;
  balanceAfter: number;
  /** The list's class and its balance-after row's class: big on the screen, small on paper. */
  listClass: string;
  afterClass: string;
};

/** "This sale" and "points left" as a definition list: on the receipt screen and on the paper. */
export function ReceiptFigures({ totalPoints, balanceAfter, listClass, afterClass }: Props) {
  return (
    <dl class={listClass}>
      <div>
        <dt>{t("receipt.total")}</dt>
        <dd>
          <Points value={totalPoints} />
        </dd>
      </div>
      <div class={afterClass}>
        <dt>{t("receipt.after")}</dt>
        <dd>
          <Points value={balanceAfter} />
        </dd>
      </div>
    </dl>
  );
}
