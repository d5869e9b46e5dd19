import { useSignal } from "@preact/signals";
import { get, post, qs, type ApiError } from "../api.ts";
import { lang, t } from "../i18n/index.ts";
import { formatTime } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { answerLost, becauseText, problemDetail, problemText } from "../logic/problems.ts";
import type { Delivery, Goods, Household } from "../types.ts";
import { newUuid } from "../../ui/uuid.ts";
import { Alert } from "./Alert.tsx";
import { HouseholdPicker } from "./HouseholdPicker.tsx";
import { Msg } from "./Msg.tsx";
import { Points } from "./Points.tsx";

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const CONFIRMED_SHOWN = 20;

/** Now in Beijing as a datetime-local value (YYYY-MM-DDTHH:MM), whatever the device's zone. */
export function beijingNowInput(nowMs: number = Date.now()): string {
  return new Date(nowMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

/** A datetime-local value read as Beijing time, as an ISO instant; null when it is no time. */
export function beijingInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}:00+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function failureText(error: ApiError): string {
  return becauseText(error) ?? `${problemText(error)} ${problemDetail(error)}`.trim();
}

/**
 * Home delivery (送奖上门) on the sales page: record a sale for a household that cannot come (the
 * household chosen here, no card read), the deliveries waiting to be carried out, each confirmed
 * once with who delivered it and when, and the last ones confirmed.
 */
export function Deliveries({ villageId, onSold }: { villageId: string; onSold: () => void }) {
  const [waiting, reloadWaiting] = useLoad(
    () =>
      get<{ items: Delivery[] }>(
        `/api/villages/${villageId}/deliveries${qs({ status: "waiting" })}`,
      ),
    [villageId],
  );
  const [confirmed, reloadConfirmed] = useLoad(
    () =>
      get<{ items: Delivery[] }>(
        `/api/villages/${villageId}/deliveries${qs({ status: "confirmed", limit: CONFIRMED_SHOWN })}`,
      ),
    [villageId],
  );
  const recording = useSignal(false);
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const reload = () => {
    reloadWaiting();
    reloadConfirmed();
  };
  const waitingList = waiting.value.state === "ok" ? waiting.value.data.items : [];
  const confirmedList = confirmed.value.state === "ok" ? confirmed.value.data.items : [];
  return (
    <section class="card stack deliveries" aria-labelledby="deliveries-title">
      <div class="card-head">
        <h2 class="small-title" id="deliveries-title">
          {t("delivery.title")}
          <span class="count">{waitingList.length}</span>
        </h2>
        {!recording.value ? (
          <button
            type="button"
            class="button primary"
            onClick={() => ((recording.value = true), (outcome.value = null))}
          >
            {t("delivery.record")}
          </button>
        ) : null}
      </div>
      <p class="hint">{t("delivery.lead")}</p>
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {recording.value ? (
        <DeliverySaleForm
          villageId={villageId}
          onCancel={() => (recording.value = false)}
          onDone={(receiptNo, name) => {
            recording.value = false;
            outcome.value = { tone: "ok", text: t("delivery.recorded", { no: receiptNo, name }) };
            reload();
            onSold();
          }}
        />
      ) : null}
      <h3 class="tiny-title">{t("delivery.waiting")}</h3>
      {waiting.value.state === "ok" && waitingList.length === 0 ? (
        <p class="hint">{t("delivery.noneWaiting")}</p>
      ) : null}
      {waitingList.length > 0 ? (
        <ul class="delivery-list">
          {waitingList.map((d) => (
            <WaitingDelivery
              key={d.redemptionId}
              delivery={d}
              onConfirmed={(name) => {
                outcome.value = {
                  tone: "ok",
                  text: t("delivery.confirmedOne", { no: String(d.receiptNo), by: name }),
                };
                reload();
              }}
            />
          ))}
        </ul>
      ) : null}
      {confirmedList.length > 0 ? (
        <>
          <h3 class="tiny-title">{t("delivery.confirmed")}</h3>
          {/* Scrolls sideways on a phone: focusable, so a keyboard can scroll it too. */}
          <div class="table-wrap" tabIndex={0} role="region" aria-label={t("delivery.confirmed")}>
            <table class="table compact">
              <caption class="visually-hidden">{t("delivery.confirmed")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("sales.receiptNo")}</th>
                  <th scope="col">{t("household.head")}</th>
                  <th scope="col">{t("sales.goods")}</th>
                  <th scope="col">{t("delivery.deliveredBy")}</th>
                  <th scope="col">{t("delivery.deliveredAt")}</th>
                </tr>
              </thead>
              <tbody>
                {confirmedList.map((d) => (
                  <tr key={d.redemptionId}>
                    <td class="mono">{String(d.receiptNo)}</td>
                    <td>
                      <bdi>{d.householdName}</bdi>
                    </td>
                    <td>
                      {d.items.map((i) => `${i.name}×${i.quantity}`).join(t("common.listSep"))}
                    </td>
                    <td>
                      <bdi>{d.deliveredBy ?? ""}</bdi>
                    </td>
                    <td class="nowrap">
                      {d.deliveredAt === null ? "" : formatTime(d.deliveredAt, lang.value)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

function WaitingDelivery({
  delivery: d,
  onConfirmed,
}: {
  delivery: Delivery;
  onConfirmed: (name: string) => void;
}) {
  const open = useSignal(false);
  const by = useSignal("");
  const at = useSignal(beijingNowInput());
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const idBase = `delivery-${d.redemptionId}`;
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const name = by.value.trim();
    const iso = beijingInputToIso(at.value);
    if (name === "" || name.length > 60) {
      error.value = t("delivery.errBy");
      return;
    }
    if (iso === null) {
      error.value = t("delivery.errAt");
      return;
    }
    busy.value = true;
    const res = await post<{ delivery: Delivery }>(`/api/redemptions/${d.redemptionId}/delivery`, {
      deliveredBy: name,
      deliveredAt: iso,
    });
    busy.value = false;
    if (res.ok) onConfirmed(name);
    else error.value = failureText(res.error);
  };
  return (
    <li class={`delivery-item${d.voided ? " muted-row" : ""}`}>
      <div class="delivery-what">
        <strong>
          <bdi>{d.householdName}</bdi>
        </strong>{" "}
        <span class="hint">
          <bdi>{d.address || t("household.noAddress")}</bdi>
        </span>
        <span class="block">
          {d.items.map((i) => `${i.name}×${i.quantity}`).join(t("common.listSep"))} ·{" "}
          <Points value={d.totalPoints} />
        </span>
        <span class="hint block">
          <Msg
            id="delivery.soldLine"
            values={{
              no: String(d.receiptNo),
              when: formatTime(d.soldAt, lang.value),
              seller: d.seller,
            }}
          />
          {d.voided ? <span class="tag muted">{t("sales.voidedTag")}</span> : null}
        </span>
      </div>
      {!d.voided && !open.value ? (
        <button
          type="button"
          class="button"
          onClick={() => (open.value = true)}
          aria-label={t("delivery.confirmOne", { name: d.householdName })}
        >
          {t("delivery.confirm")}
        </button>
      ) : null}
      {open.value ? (
        <form class="stack delivery-confirm" onSubmit={submit} noValidate>
          <div class="field-row">
            <div class="field">
              <label for={`${idBase}-by`}>{t("delivery.deliveredBy")}</label>
              <input
                id={`${idBase}-by`}
                value={by.value}
                maxLength={60}
                onInput={(e) => (by.value = (e.target as HTMLInputElement).value)}
                aria-invalid={error.value ? "true" : undefined}
                aria-describedby={error.value ? `${idBase}-error` : undefined}
              />
            </div>
            <div class="field">
              <label for={`${idBase}-at`}>{t("delivery.deliveredAt")}</label>
              <input
                id={`${idBase}-at`}
                type="datetime-local"
                value={at.value}
                onInput={(e) => (at.value = (e.target as HTMLInputElement).value)}
              />
            </div>
          </div>
          {error.value ? (
            <p class="field-error" id={`${idBase}-error`} role="alert">
              {error.value}
            </p>
          ) : null}
          <div class="button-row">
            <button type="submit" class="button primary" disabled={busy.value}>
              {busy.value ? t("common.working") : t("delivery.confirmSubmit")}
            </button>
            <button type="button" class="button" onClick={() => (open.value = false)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      ) : null}
    </li>
  );
}

/** A sale staff make for a household chosen here (no card read), delivered to its door by default. */
function DeliverySaleForm({
  villageId,
  onCancel,
  onDone,
}: {
  villageId: string;
  onCancel: () => void;
  onDone: (receiptNo: string, name: string) => void;
}) {
  const [goods] = useLoad(
    () => get<{ items: Goods[] }>(`/api/villages/${villageId}/goods`),
    [villageId],
  );
  const household = useSignal<Household | null>(null);
  const quantities = useSignal<Record<string, string>>({});
  const delivery = useSignal(true);
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  // Kept while the answer is unknown, so a retry after a lost answer is charged once.
  const key = useSignal<string | null>(null);
  const list =
    goods.value.state === "ok" ? goods.value.data.items.filter((g) => g.active && g.stock > 0) : [];
  const items = list
    .map((g) => ({ goods: g, quantity: Number(quantities.value[g.id] ?? "") }))
    .filter((i) => Number.isInteger(i.quantity) && i.quantity > 0);
  const total = items.reduce((sum, i) => sum + i.goods.pricePoints * i.quantity, 0);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const h = household.value;
    if (h === null) {
      error.value = t("delivery.errHousehold");
      return;
    }
    if (items.length === 0) {
      error.value = t("delivery.errGoods");
      return;
    }
    busy.value = true;
    error.value = null;
    key.value ??= newUuid();
    const res = await post<{ id: string; receiptNo: number }>(
      "/api/redemptions",
      {
        householdId: h.id,
        delivery: delivery.value,
        items: items.map((i) => ({ goodsId: i.goods.id, quantity: i.quantity })),
      },
      { "Idempotency-Key": key.value },
    );
    busy.value = false;
    if (res.ok) {
      key.value = null;
      onDone(String(res.data.receiptNo), h.headName);
      return;
    }
    if (!answerLost(res.error)) key.value = null;
    error.value = failureText(res.error);
  };

  const h = household.value;
  return (
    <form
      class="stack delivery-form"
      onSubmit={submit}
      noValidate
      aria-labelledby="delivery-form-title"
    >
      <h3 class="tiny-title" id="delivery-form-title">
        {t("delivery.formTitle")}
      </h3>
      <div class="field">
        <label for="delivery-household">{t("delivery.household")}</label>
        {h === null ? (
          <HouseholdPicker
            id="delivery-household"
            villageId={villageId}
            chosen={new Set()}
            onPick={(picked) => (household.value = picked)}
            onMiss={() => (error.value = t("delivery.errHousehold"))}
          />
        ) : (
          <p class="chosen-household">
            <strong>
              <bdi>{h.headName}</bdi>
            </strong>{" "}
            <span class="hint">
              <bdi>{h.address || t("household.noAddress")}</bdi> ·{" "}
              <Msg id="delivery.balance" values={{ points: <Points value={h.balance} /> }} />
            </span>{" "}
            <button
              type="button"
              class="button ghost small"
              onClick={() => (household.value = null)}
            >
              {t("delivery.otherHousehold")}
            </button>
          </p>
        )}
      </div>
      <fieldset>
        <legend>{t("delivery.goods")}</legend>
        {goods.value.state === "ok" && list.length === 0 ? (
          <p class="hint">{t("delivery.noGoods")}</p>
        ) : null}
        <div class="delivery-goods">
          {list.map((g) => (
            <div class="field delivery-good" key={g.id}>
              <label for={`delivery-q-${g.id}`}>
                <bdi>{g.name}</bdi>{" "}
                <span class="hint">
                  {t("delivery.priceStock", { price: g.pricePoints, stock: g.stock })}
                </span>
              </label>
              <input
                id={`delivery-q-${g.id}`}
                type="number"
                inputMode="numeric"
                min={0}
                max={g.stock}
                class="short"
                value={quantities.value[g.id] ?? ""}
                onInput={(e) =>
                  (quantities.value = {
                    ...quantities.value,
                    [g.id]: (e.target as HTMLInputElement).value,
                  })
                }
              />
            </div>
          ))}
        </div>
      </fieldset>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={delivery.value}
          onChange={(e) => (delivery.value = (e.target as HTMLInputElement).checked)}
        />
        <span>
          {t("delivery.toDoor")}
          <span class="hint block">{t("delivery.toDoorHint")}</span>
        </span>
      </label>
      <p class="receipt-total" role="status">
        <Msg id="delivery.total" values={{ total: <Points value={total} /> }} />
      </p>
      {error.value ? <Alert tone="error">{error.value}</Alert> : null}
      <div class="button-row">
        <button type="submit" class="button primary" disabled={busy.value}>
          {busy.value ? t("common.working") : t("delivery.submit")}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
