import { t } from "../i18n/index.ts";
import { secondsLeft } from "../../ui/format.ts";
import { resetVisit } from "../state/actions.ts";
import { receiptHomeAtMs } from "../state/watch.ts";
import { nowMs, receipt, receiptShownAtMs } from "../state/store.ts";
import { Icon } from "./Icon.tsx";
import { Msg } from "./Msg.tsx";
import { ReceiptFigures } from "./ReceiptFigures.tsx";
import { ReceiptPaper } from "./ReceiptPaper.tsx";

export function ReceiptScreen() {
  const r = receipt.value;
  if (r === null) return null;
  const seconds = secondsLeft(receiptHomeAtMs(receiptShownAtMs.value), nowMs.value);
  return (
    <main class="screen receipt-screen">
      <div class="receipt-layout">
        <section class="done-summary" role="status">
          <div class="done-head">
            <span class="done-mark" aria-hidden="true">
              <Icon name="check" size={64} />
            </span>
            <h1>{t("receipt.title")}</h1>
          </div>
          <ReceiptFigures
            totalPoints={r.totalPoints}
            balanceAfter={r.balanceAfter}
            listClass="done-figures"
            afterClass="done-after"
          />
        </section>
        <div class="receipt-wrap">
          <ReceiptPaper receipt={r} variant="screen" />
        </div>
      </div>
      <ReceiptPaper receipt={r} variant="print" />
      <footer class="action-bar">
        <button type="button" class="btn btn-secondary" onClick={() => window.print()}>
          <Icon name="print" />
          <span>{t("receipt.print")}</span>
        </button>
        <p class="action-note">
          <Msg id="receipt.autoHome" values={{ seconds: <span class="num">{seconds}</span> }} />
        </p>
        <button type="button" class="btn btn-primary btn-wide" onClick={resetVisit}>
          <Icon name="home" />
          <span>{t("receipt.done")}</span>
        </button>
      </footer>
    </main>
  );
}
