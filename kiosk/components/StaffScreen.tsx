import { useSignal } from "@preact/signals";
import type { Receipt } from "../api-types.ts";
import { t, type MessageKey } from "../i18n/index.ts";
import {
  fetchReceipt,
  openForSale,
  setAutoPrint,
  staffLogout,
  voidSale,
  type StaffResult,
} from "../state/actions.ts";
import { autoPrint, marketClosed, recent, staffUser, type RecentSale } from "../state/store.ts";
import { Icon } from "./Icon.tsx";
import { Msg } from "./Msg.tsx";
import { SaleSummary } from "./SaleSummary.tsx";
import { ReceiptPaper } from "./ReceiptPaper.tsx";

const REASONS: MessageKey[] = [
  "staff.reasonWrongGoods",
  "staff.reasonChangedMind",
  "staff.reasonOther",
];

const RESULT_TEXT: Record<Exclude<StaffResult, "bad-login" | "rate-limited">, MessageKey> = {
  ok: "staff.voided",
  "already-voided": "staff.alreadyVoided",
  forbidden: "staff.forbidden",
  unauthenticated: "staff.sessionExpired",
  failed: "staff.failed",
};

/** The clerk's tools on the kiosk: void the last sale, reprint a receipt, the print setting. */
export function StaffScreen() {
  const user = staffUser.value;
  const asking = useSignal(false);
  const message = useSignal<MessageKey | null>(null);
  const printing = useSignal<Receipt | null>(null);
  const busy = useSignal(false);
  const last: RecentSale | undefined = recent.value[0];

  const doVoid = async (reasonKey: MessageKey): Promise<void> => {
    if (last === undefined || busy.value) return;
    busy.value = true;
    const result = await voidSale(last.id, t(reasonKey));
    busy.value = false;
    asking.value = false;
    message.value =
      result === "bad-login" || result === "rate-limited" ? "staff.failed" : RESULT_TEXT[result];
  };

  const reprint = async (sale: RecentSale): Promise<void> => {
    busy.value = true;
    const r = await fetchReceipt(sale.id);
    busy.value = false;
    if (r === null) {
      message.value = "staff.failed";
      return;
    }
    printing.value = r;
    // Let the print-only receipt render before the print dialog takes its snapshot.
    setTimeout(() => window.print(), 50);
  };

  return (
    <main class="screen staff-screen">
      <div class="screen-head">
        <h1>{t("staff.title")}</h1>
        {user !== null && (
          <p class="staff-who">
            <Msg id="staff.signedInAs" values={{ name: user.username }} />
          </p>
        )}
        <button type="button" class="btn btn-secondary" onClick={() => void staffLogout()}>
          <Icon name="lock" />
          <span>{t("staff.logout")}</span>
        </button>
      </div>
      {message.value !== null && (
        <p class="staff-message" role="status">
          <Icon name="check" />
          <span>{t(message.value)}</span>
        </p>
      )}
      {marketClosed.value ? (
        <section class="panel staff-open">
          <p>{t("staff.closedNow")}</p>
          <button type="button" class="btn btn-primary btn-block" onClick={openForSale}>
            <Icon name="card" />
            <span>{t("staff.openForSale")}</span>
          </button>
        </section>
      ) : null}
      <div class="staff-grid">
        <section class="panel">
          <h2>{t("staff.lastSale")}</h2>
          {last === undefined ? (
            <p>{t("staff.noSales")}</p>
          ) : (
            <>
              <SaleSummary sale={last} />
              {!asking.value ? (
                <button
                  type="button"
                  class="btn btn-danger btn-block"
                  disabled={last.voided || busy.value}
                  onClick={() => (asking.value = true)}
                >
                  <Icon name="delete" />
                  <span>{last.voided ? t("receipt.voided") : t("staff.void")}</span>
                </button>
              ) : (
                <div class="reason-list" role="group" aria-label={t("staff.voidAsk")}>
                  <p>{t("staff.voidAsk")}</p>
                  {REASONS.map((k) => (
                    <button
                      key={k}
                      type="button"
                      class="btn btn-danger btn-block"
                      disabled={busy.value}
                      onClick={() => void doVoid(k)}
                    >
                      <span>{t(k)}</span>
                    </button>
                  ))}
                  <button
                    type="button"
                    class="btn btn-secondary btn-block"
                    onClick={() => (asking.value = false)}
                  >
                    <span>{t("common.cancel")}</span>
                  </button>
                </div>
              )}
            </>
          )}
        </section>
        <section class="panel">
          <h2>{t("staff.recent")}</h2>
          <ul class="recent-list">
            {recent.value.map((s) => (
              <li key={s.id}>
                <SaleSummary sale={s} />
                <button
                  type="button"
                  class="btn btn-secondary"
                  disabled={busy.value}
                  onClick={() => void reprint(s)}
                >
                  <Icon name="print" />
                  <span>{t("staff.reprint")}</span>
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="btn btn-quiet btn-block"
            aria-pressed={autoPrint.value}
            onClick={() => setAutoPrint(!autoPrint.value)}
          >
            <Icon name="print" />
            <span>
              {t("staff.autoPrint")}: {t(autoPrint.value ? "staff.on" : "staff.off")}
            </span>
          </button>
        </section>
      </div>
      {printing.value !== null && <ReceiptPaper receipt={printing.value} variant="print" />}
    </main>
  );
}
