import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { fieldErrors, get, patch, post, qs } from "../api.ts";
import { usePaged } from "../logic/paged.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { TextField } from "../components/Field.tsx";
import { GoodsForm } from "../components/GoodsForm.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Points } from "../components/Points.tsx";
import { lang, t, tKnown } from "../i18n/index.ts";
import { formatTime } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { becauseText, problemDetail, problemText } from "../logic/problems.ts";
import type { PageProps } from "../routes.ts";
import { chooseVillage, me, villageId } from "../state/session.ts";
import type { Goods, Movement, StockSource } from "../types.ts";
import { FormButtons } from "../components/FormButtons.tsx";

export const STOCK_MAX = 1_000_000;
const LEDGER_PAGE = 30;
const SOURCES: readonly StockSource[] = ["donation", "government", "village", "other"];

type Action = "intake" | "writeOff" | "count" | "edit" | null;

/** One good: its stock, intake (with its source), write-off, a stock count, and its stock ledger. */
export default function GoodPage({ params }: PageProps) {
  const id = params["id"] ?? "";
  const [good, reload] = useLoad(
    () => get<{ goods: Goods }>(`/api/goods/${encodeURIComponent(id)}`),
    [id],
  );
  const action = useSignal<Action>(null);
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const ledgerGeneration = useSignal(0);
  const state = good.value;

  useEffect(() => {
    if (
      state.state === "ok" &&
      me.value?.role === "township_admin" &&
      state.data.goods.villageId !== villageId.value
    )
      chooseVillage(state.data.goods.villageId);
  }, [state]);

  if (state.state === "loading") return <Loading />;
  if (state.state === "error") {
    return (
      <section class="page">
        <PageHeader title={t("good.title")} />
        <Alert tone="error">
          {state.error.kind === "problem" && state.error.status === 404
            ? t("good.missing")
            : problemText(state.error)}
        </Alert>
        <p>
          <a class="button" href="/admin/goods">
            {t("good.back")}
          </a>
        </p>
      </section>
    );
  }
  const g = state.data.goods;
  const done = (text: string) => {
    action.value = null;
    outcome.value = { tone: "ok", text };
    ledgerGeneration.value++;
    reload();
  };
  const toggleActive = async () => {
    const res = await patch<{ goods: Goods }>(`/api/goods/${g.id}`, { active: !g.active });
    outcome.value = res.ok
      ? { tone: "ok", text: t(g.active ? "good.deactivated" : "good.activated", { name: g.name }) }
      : { tone: "error", text: problemText(res.error) };
    reload();
  };
  return (
    <section class="page good">
      <nav class="crumbs" aria-label={t("common.breadcrumb")}>
        <a href="/admin/goods">{t("nav.goods")}</a> <span aria-hidden="true">›</span>{" "}
        <bdi>{g.name}</bdi>
      </nav>
      <PageHeader
        title={g.name}
        lead={
          <>
            <Points value={g.pricePoints} /> {t("goods.pointsUnit")}
            {g.category ? ` · ${tKnown("goodsCategory", g.category)}` : ""}
            {!g.active ? ` · ${t("goods.inactiveTag")}` : ""}
          </>
        }
        actions={
          <>
            <button type="button" class="button primary" onClick={() => (action.value = "intake")}>
              <Icon name="plus" />
              {t("good.intake")}
            </button>
            <button type="button" class="button" onClick={() => (action.value = "count")}>
              {t("good.count")}
            </button>
            <button type="button" class="button" onClick={() => (action.value = "writeOff")}>
              {t("good.writeOff")}
            </button>
            <button type="button" class="button" onClick={() => (action.value = "edit")}>
              {t("good.edit")}
            </button>
            <button type="button" class="button ghost" onClick={() => void toggleActive()}>
              {g.active ? t("good.deactivate") : t("good.activate")}
            </button>
          </>
        }
      />
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      <div class="good-top">
        <div class="card good-photo">
          {g.imageUrl ? <img src={g.imageUrl} alt={g.name} /> : <Icon name="goods" size={64} />}
        </div>
        <section class="card stock-card" aria-labelledby="stock-title">
          <h2 class="small-title" id="stock-title">
            {t("good.stockNow")}
          </h2>
          <p class={`balance-big${g.low ? " warn-text" : ""}`}>
            <Msg id="goods.stockBig" values={{ count: g.stock }} />
          </p>
          <p class="hint">
            {g.low
              ? t("good.lowHint", { threshold: g.lowStockThreshold })
              : t("good.thresholdHint", { threshold: g.lowStockThreshold })}
          </p>
        </section>
      </div>
      <Ledger goodsId={g.id} generation={ledgerGeneration.value} />
      <Dialog
        open={action.value === "intake"}
        title={t("good.intakeTitle", { name: g.name })}
        onClose={() => (action.value = null)}
      >
        {action.value === "intake" ? (
          <IntakeForm good={g} onDone={done} onCancel={() => (action.value = null)} />
        ) : null}
      </Dialog>
      <Dialog
        open={action.value === "writeOff"}
        title={t("good.writeOffTitle", { name: g.name })}
        onClose={() => (action.value = null)}
      >
        {action.value === "writeOff" ? (
          <WriteOffForm good={g} onDone={done} onCancel={() => (action.value = null)} />
        ) : null}
      </Dialog>
      <Dialog
        open={action.value === "count"}
        title={t("good.countTitle", { name: g.name })}
        onClose={() => (action.value = null)}
      >
        {action.value === "count" ? (
          <CountForm good={g} onDone={done} onCancel={() => (action.value = null)} />
        ) : null}
      </Dialog>
      <Dialog
        open={action.value === "edit"}
        title={t("good.edit")}
        onClose={() => (action.value = null)}
        wide
      >
        {action.value === "edit" ? (
          <GoodsForm
            villageId={g.villageId}
            goods={g}
            categories={g.category ? [g.category] : []}
            onCancel={() => (action.value = null)}
            onDone={() => done(t("good.saved"))}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

function quantityError(value: string, max: number): string | null {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? null : t("good.errQuantity", { max });
}

function IntakeForm({
  good,
  onDone,
  onCancel,
}: {
  good: Goods;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const quantity = useSignal("");
  const source = useSignal<StockSource | "">("");
  const donor = useSignal("");
  const note = useSignal("");
  const errors = useSignal<Record<string, string>>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: Record<string, string> = {};
    const q = quantityError(quantity.value, STOCK_MAX);
    if (q) errs["delta"] = q;
    if (source.value === "") errs["source"] = t("good.errSource");
    if (source.value === "donation" && donor.value.trim() === "")
      errs["donor"] = t("good.errDonor");
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res = await post(`/api/goods/${good.id}/stock`, {
      delta: Number(quantity.value),
      source: source.value,
      ...(donor.value.trim() ? { donor: donor.value.trim() } : {}),
      ...(note.value.trim() ? { reason: note.value.trim() } : {}),
    });
    busy.value = false;
    if (res.ok) onDone(t("good.intakeDone", { count: Number(quantity.value), name: good.name }));
    else {
      const f = fieldErrors(res.error);
      errors.value = Object.fromEntries(
        Object.keys(f).map((k) => [k, becauseText(res.error) ?? t("problem.validation")]),
      );
      failure.value = `${problemText(res.error)} ${problemDetail(res.error)}`;
    }
  };
  const e = errors.value;
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <TextField
        id="intake-quantity"
        label={t("good.quantity")}
        error={e["delta"]}
        type="number"
        inputMode="numeric"
        min={1}
        value={quantity.value}
        onValue={(v) => (quantity.value = v)}
      />
      <fieldset aria-describedby={e["source"] ? "intake-source-error" : undefined}>
        <legend>{t("good.source")}</legend>
        {SOURCES.map((s) => (
          <label key={s} class="radio">
            <input
              type="radio"
              name="intake-source"
              checked={source.value === s}
              onChange={() => (source.value = s)}
            />
            <span>{tKnown("source", s)}</span>
          </label>
        ))}
        {e["source"] ? (
          <p class="field-error" id="intake-source-error" role="alert">
            {e["source"]}
          </p>
        ) : null}
      </fieldset>
      {source.value === "donation" || donor.value !== "" ? (
        <TextField
          id="intake-donor"
          label={t("good.donor")}
          error={e["donor"]}
          hint={t("good.donorHint")}
          maxLength={60}
          value={donor.value}
          onValue={(v) => (donor.value = v)}
        />
      ) : null}
      <TextField
        id="intake-note"
        label={t("good.note")}
        optional
        maxLength={200}
        value={note.value}
        onValue={(v) => (note.value = v)}
      />
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons busy={busy.value} submit={t("good.intakeConfirm")} onCancel={onCancel} />
    </form>
  );
}

function WriteOffForm({
  good,
  onDone,
  onCancel,
}: {
  good: Goods;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const quantity = useSignal("");
  const reason = useSignal("");
  const errors = useSignal<Record<string, string>>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: Record<string, string> = {};
    const q = quantityError(quantity.value, Math.max(1, good.stock));
    if (q || Number(quantity.value) > good.stock)
      errs["delta"] = t("good.errWriteOff", { stock: good.stock });
    if (reason.value.trim() === "") errs["reason"] = t("good.errReason");
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res = await post(`/api/goods/${good.id}/stock`, {
      delta: -Number(quantity.value),
      reason: reason.value.trim(),
    });
    busy.value = false;
    if (res.ok) onDone(t("good.writeOffDone", { count: Number(quantity.value), name: good.name }));
    else failure.value = `${problemText(res.error)} ${problemDetail(res.error)}`;
  };
  const e = errors.value;
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <TextField
        id="wo-quantity"
        label={t("good.quantity")}
        error={e["delta"]}
        hint={t("good.onShelf", { stock: good.stock })}
        type="number"
        inputMode="numeric"
        min={1}
        max={good.stock}
        value={quantity.value}
        onValue={(v) => (quantity.value = v)}
      />
      <TextField
        id="wo-reason"
        label={t("good.reason")}
        error={e["reason"]}
        hint={t("good.reasonHint")}
        maxLength={200}
        value={reason.value}
        onValue={(v) => (reason.value = v)}
      />
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons
        busy={busy.value}
        submit={t("good.writeOffConfirm")}
        onCancel={onCancel}
        danger
      />
    </form>
  );
}

/** The stock count: type what is on the shelf, see the difference, record it with a reason in one step. */
function CountForm({
  good,
  onDone,
  onCancel,
}: {
  good: Goods;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const counted = useSignal("");
  const reason = useSignal("");
  const errors = useSignal<Record<string, string>>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const n = Number(counted.value);
  const valid = counted.value.trim() !== "" && Number.isInteger(n) && n >= 0 && n <= STOCK_MAX;
  const difference = valid ? n - good.stock : 0;
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: Record<string, string> = {};
    if (!valid) errs["counted"] = t("good.errCounted");
    if (valid && difference !== 0 && reason.value.trim() === "")
      errs["reason"] = t("good.errReason");
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res = await post<{ difference: number }>(`/api/goods/${good.id}/count`, {
      counted: n,
      reason: reason.value.trim() || t("good.countMatches"),
    });
    busy.value = false;
    if (res.ok)
      onDone(
        res.data.difference === 0
          ? t("good.countSame", { name: good.name })
          : t("good.countDone", { name: good.name, difference: res.data.difference }),
      );
    else failure.value = `${problemText(res.error)} ${problemDetail(res.error)}`;
  };
  const e = errors.value;
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <p>
        <Msg id="good.countSystem" values={{ stock: good.stock }} />
      </p>
      <TextField
        id="count-counted"
        label={t("good.counted")}
        error={e["counted"]}
        type="number"
        inputMode="numeric"
        min={0}
        value={counted.value}
        onValue={(v) => (counted.value = v)}
      />
      <p
        class={`count-difference${difference < 0 ? " neg" : difference > 0 ? " pos" : ""}`}
        role="status"
        aria-live="polite"
      >
        {!valid
          ? ""
          : difference === 0
            ? t("good.diffNone")
            : difference < 0
              ? t("good.diffLess", { count: -difference })
              : t("good.diffMore", { count: difference })}
      </p>
      {valid && difference !== 0 ? (
        <TextField
          id="count-reason"
          label={t("good.reason")}
          error={e["reason"]}
          hint={difference < 0 ? t("good.countReasonLess") : t("good.countReasonMore")}
          maxLength={200}
          value={reason.value}
          onValue={(v) => (reason.value = v)}
        />
      ) : null}
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons busy={busy.value} submit={t("good.countConfirm")} onCancel={onCancel} />
    </form>
  );
}

function Ledger({ goodsId, generation }: { goodsId: string; generation: number }) {
  const { items, cursor, state, loadMore } = usePaged<Movement>(
    (after) => `/api/goods/${goodsId}/stock${qs({ limit: LEDGER_PAGE, cursor: after })}`,
    [goodsId, generation],
  );
  return (
    <section class="card stack" aria-labelledby="ledger-title">
      <h2 class="small-title" id="ledger-title">
        {t("good.ledger")}
      </h2>
      {state.value === "loading" ? <Loading /> : null}
      {state.value === "error" ? <Alert tone="error">{t("problem.network")}</Alert> : null}
      {items.value.length > 0 ? (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("good.ledger")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("good.when")}</th>
                <th scope="col">{t("good.kind")}</th>
                <th scope="col" class="num-col">
                  {t("good.change")}
                </th>
                <th scope="col">{t("good.why")}</th>
                <th scope="col">{t("good.by")}</th>
                <th scope="col" class="num-col">
                  {t("good.after")}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.value.map((m) => (
                <tr key={m.id}>
                  <td class="nowrap">{formatTime(m.at, lang.value)}</td>
                  <td>
                    <span class={`tag move-${m.kind}`}>{tKnown("movement", m.kind)}</span>
                  </td>
                  <td class="num-col">
                    <Points value={m.delta} signed />
                  </td>
                  <td>
                    {m.source ? <span>{tKnown("source", m.source)}</span> : null}
                    {m.donor ? (
                      <span>
                        {" · "}
                        <bdi>{m.donor}</bdi>
                      </span>
                    ) : null}
                    {m.reason ? <span class="sub">{m.reason}</span> : null}
                    {m.redemptionId ? <span class="sub">{t("good.sale")}</span> : null}
                  </td>
                  <td>
                    <bdi>{m.by}</bdi>
                  </td>
                  <td class="num-col num">{m.stockAfter}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : state.value === "ok" ? (
        <p class="hint">{t("good.ledgerEmpty")}</p>
      ) : null}
      {cursor.value !== null ? (
        <button type="button" class="button" onClick={loadMore}>
          {t("history.older")}
        </button>
      ) : null}
    </section>
  );
}
