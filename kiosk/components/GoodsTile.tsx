import type { Good } from "../api-types.ts";
import { t, type MessageKey } from "../i18n/index.ts";
import { canAddOne, quantityOf } from "../logic/basket.ts";
import { addGood, removeGood } from "../state/actions.ts";
import { basket, goods, household } from "../state/store.ts";
import { GoodsImage } from "./GoodsImage.tsx";
import { Icon } from "./Icon.tsx";
import { Msg } from "./Msg.tsx";
import { Points } from "./Points.tsx";

export interface GoodsTileProps {
  good: Good;
}

const BLOCKED_TEXT: Record<string, MessageKey> = {
  "out-of-stock": "goods.outOfStock",
  "insufficient-points": "goods.cannotAfford",
  "stock-limit": "goods.stockLimit",
  inactive: "goods.outOfStock",
};

/**
 * One good: photo, name, price, stock, and big − / + with the chosen quantity between them. The
 * photo and the name are one big button too, laid over them: a tap on either adds one, exactly as
 * + does (the same action, so the same voice and the same badge). A screen reader hears it as a
 * button named by the good, described as adding one.
 */
export function GoodsTile({ good }: GoodsTileProps) {
  const qty = quantityOf(basket.value, good.id);
  const verdict = canAddOne(basket.value, goods.value ?? [], good, household.value?.balance ?? 0);
  const blocked = verdict === "ok" ? null : BLOCKED_TEXT[verdict];
  // A good the household cannot take at all is shown, dimmed, with the reason in words.
  const unavailable = qty === 0 && blocked !== undefined && blocked !== null;
  const nameId = `good-${good.id}`;
  const tapId = `good-${good.id}-tap`;
  return (
    <li
      class={`tile${qty > 0 ? " tile-chosen" : ""}${unavailable ? " tile-unavailable" : ""}`}
      aria-labelledby={nameId}
    >
      <div class="tile-top">
        <div class="tile-photo">
          <GoodsImage src={good.imageUrl} name={good.name} />
          {blocked !== null && blocked !== undefined && (
            <p class="tile-blocked">
              <Icon name="lock" size={28} />
              <span>{t(blocked)}</span>
            </p>
          )}
          {qty > 0 && (
            // Keyed by the count: each added one draws the badge afresh, so it bumps as it changes.
            <span key={qty} class="tile-badge">
              <Icon name="check" size={28} />
              <Msg id="goods.quantity" values={{ count: qty }} />
            </span>
          )}
        </div>
        <div class="tile-info">
          <h2 id={nameId} class="tile-name">
            <bdi>{good.name}</bdi>
          </h2>
          <p class="tile-meta">
            <span class="tile-price">
              <Msg id="goods.price" values={{ points: <Points value={good.pricePoints} /> }} />
            </span>
            {good.stock > 0 && (
              <span class="tile-stock">
                <Msg id="goods.stock" values={{ count: good.stock }} />
              </span>
            )}
          </p>
        </div>
        <button
          type="button"
          class="tile-pick"
          aria-labelledby={nameId}
          aria-describedby={tapId}
          disabled={verdict !== "ok"}
          onClick={() => addGood(good)}
        />
        <span id={tapId} class="visually-hidden">
          {t("goods.tapToAdd")}
        </span>
      </div>
      <div class="stepper">
        <button
          type="button"
          class="step-btn"
          disabled={qty === 0}
          onClick={() => removeGood(good.id)}
        >
          <Icon name="minus" size={40} />
          <span class="step-label">{t("goods.remove")}</span>
        </button>
        <output class="step-qty num" aria-live="polite">
          {qty}
        </output>
        <button
          type="button"
          class="step-btn step-add"
          disabled={verdict !== "ok"}
          onClick={() => addGood(good)}
        >
          <Icon name="plus" size={40} />
          <span class="step-label">{t("goods.add")}</span>
        </button>
      </div>
    </li>
  );
}
