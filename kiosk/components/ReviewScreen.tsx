import { t } from "../i18n/index.ts";
import { basketLines } from "../logic/basket.ts";
import { confirmSale, goTo } from "../state/actions.ts";
import {
  balanceAfter,
  basket,
  goods,
  household,
  online,
  reviewNotice,
  submit,
  submitting,
  totalPoints,
} from "../state/store.ts";
import { GoodsImage } from "./GoodsImage.tsx";
import { Icon } from "./Icon.tsx";
import { Msg } from "./Msg.tsx";
import { PinStep } from "./PinStep.tsx";
import { Points } from "./Points.tsx";

/** The last look before points move: every line, the balance now, the cost, the balance after. */
export function ReviewScreen() {
  const h = household.value;
  const lines = basketLines(basket.value, goods.value ?? []);
  const state = submit.value;
  const busy = submitting.value;
  const after = balanceAfter.value;
  const notice = reviewNotice.value;
  const canConfirm = !busy && online.value && lines.length > 0 && after >= 0 && h !== null;

  let status: string | null = null;
  if (state.phase === "sending" && state.attempt === 1) status = t("review.sending");
  else if (busy) status = t(h?.householdId === "" ? "review.resuming" : "review.retrying");
  else if (!online.value) status = t("review.offline");

  return (
    <main class="screen review-screen">
      <div class="screen-head">
        <h1>{t("review.title")}</h1>
        {h !== null && (
          <p class="review-who">
            <bdi>{h.displayName}</bdi>
          </p>
        )}
      </div>
      <div class="review-body">
        <ul class="review-lines">
          {lines.map((l) => (
            <li key={l.good.id} class="review-line">
              <GoodsImage src={l.good.imageUrl} name={l.good.name} />
              <span class="rl-name">
                <bdi>{l.good.name}</bdi>
              </span>
              <span class="rl-qty">
                <Msg id="review.quantity" values={{ count: l.quantity }} />
              </span>
              <span class="rl-points">
                <Msg id="common.points" values={{ points: <Points value={l.points} /> }} />
              </span>
            </li>
          ))}
        </ul>
        <dl class="review-sum">
          <div>
            <dt>{t("review.balanceNow")}</dt>
            <dd>
              <Points value={h?.balance ?? 0} />
            </dd>
          </div>
          <div>
            <dt>{t("review.total")}</dt>
            <dd>
              <span aria-hidden="true">− </span>
              <Points value={totalPoints.value} />
            </dd>
          </div>
          <div class="sum-after">
            <dt>{t("review.after")}</dt>
            <dd>
              <Points value={after} />
            </dd>
          </div>
        </dl>
      </div>
      <footer class="action-bar">
        <button
          type="button"
          class="btn btn-secondary"
          disabled={busy}
          onClick={() => goTo("goods")}
        >
          <Icon name="back" />
          <span>{t("review.change")}</span>
        </button>
        <p
          class={`action-note review-status${notice !== null && !busy ? " review-status-warn" : ""}`}
          role="status"
          aria-live="polite"
        >
          {(notice !== null || status !== null) && (
            <>
              {busy ? (
                <span class="spinner spinner-small" aria-hidden="true" />
              ) : (
                <Icon name={notice !== null ? "lock" : "offline"} />
              )}
              <span>{notice !== null && !busy ? t(notice) : status}</span>
            </>
          )}
        </p>
        <button
          type="button"
          class="btn btn-primary btn-wide btn-confirm"
          disabled={!canConfirm}
          onClick={() => confirmSale(Date.now())}
        >
          {busy ? <span class="spinner spinner-small" aria-hidden="true" /> : <Icon name="check" />}
          <span>{t("review.confirm")}</span>
        </button>
      </footer>
      <PinStep />
    </main>
  );
}
