import { useSignal } from "@preact/signals";
import { get, post, qs } from "../api.ts";
import { usePaged } from "../logic/paged.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { Empty } from "../components/Empty.tsx";
import { TextField } from "../components/Field.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Points } from "../components/Points.tsx";
import { lang, t } from "../i18n/index.ts";
import { formatTime } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { becauseText, problemDetail, problemText } from "../logic/problems.ts";
import { queryParam, setQuery } from "../router.ts";
import { villageId } from "../state/session.ts";
import type { Kiosk, Sale } from "../types.ts";
import { Deliveries } from "../components/Deliveries.tsx";

const PAGE_SIZE = 50;
const FILTERS = ["from", "to", "kioskId", "householdId", "receiptNo", "voided"] as const;

/** Sales (兑换记录) by day, device and household; each receipt; a void with a reason, once; a reprint. */
export default function SalesPage() {
  const vid = villageId.value;
  const filters = Object.fromEntries(FILTERS.map((f) => [f, queryParam(f) ?? ""])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const key = FILTERS.map((f) => filters[f]).join("|");
  const [kiosks] = useLoad(
    () => (vid === null ? null : get<{ items: Kiosk[] }>(`/api/villages/${vid}/kiosks`)),
    [vid],
  );
  const { items, cursor, state, error, loadMore, reload } = usePaged<Sale>(
    (after) =>
      vid === null
        ? null
        : `/api/villages/${vid}/redemptions${qs({ ...filters, limit: PAGE_SIZE, cursor: after })}`,
    [vid, key],
  );
  const open = useSignal<Sale | null>(null);
  const receiptInput = useSignal(filters.receiptNo);

  if (vid === null) return <Loading />;
  const kioskList = kiosks.value.state === "ok" ? kiosks.value.data.items : [];
  const set = (name: (typeof FILTERS)[number], value: string) =>
    setQuery({ [name]: value || null });
  const filtered = FILTERS.some((f) => filters[f] !== "");
  const total = items.value.filter((s) => !s.voided).reduce((sum, s) => sum + s.totalPoints, 0);
  return (
    <section class="page sales">
      <PageHeader title={t("nav.sales")} lead={t("sales.lead")} />
      <Deliveries villageId={vid} onSold={reload} />
      <form
        class="card filters"
        role="search"
        aria-label={t("sales.filters")}
        onSubmit={(e) => {
          e.preventDefault();
          set("receiptNo", receiptInput.value.trim());
        }}
      >
        <div class="field">
          <label for="sales-from">{t("sales.from")}</label>
          <input
            id="sales-from"
            type="date"
            value={filters.from}
            onChange={(e) => set("from", (e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="sales-to">{t("sales.to")}</label>
          <input
            id="sales-to"
            type="date"
            value={filters.to}
            onChange={(e) => set("to", (e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="sales-kiosk">{t("sales.device")}</label>
          <select
            id="sales-kiosk"
            value={filters.kioskId}
            onChange={(e) => set("kioskId", (e.target as HTMLSelectElement).value)}
          >
            <option value="">{t("sales.allDevices")}</option>
            {kioskList.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="sales-receipt">{t("sales.receiptNo")}</label>
          <input
            id="sales-receipt"
            inputMode="numeric"
            value={receiptInput.value}
            onInput={(e) => (receiptInput.value = (e.target as HTMLInputElement).value)}
            onBlur={() => set("receiptNo", receiptInput.value.trim())}
          />
        </div>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={filters.voided === "true"}
            onChange={(e) => set("voided", (e.target as HTMLInputElement).checked ? "true" : "")}
          />
          <span>{t("sales.onlyVoided")}</span>
        </label>
        {filtered ? (
          <a class="button ghost small" href="/admin/sales">
            {t("sales.clear")}
          </a>
        ) : null}
      </form>
      {filters.householdId ? (
        <p class="hint">
          <Msg
            id="sales.forHousehold"
            values={{ name: items.value[0]?.householdName ?? filters.householdId }}
          />{" "}
          <button type="button" class="button ghost small" onClick={() => set("householdId", "")}>
            {t("sales.allHouseholds")}
          </button>
        </p>
      ) : null}
      {state.value === "loading" ? <Loading /> : null}
      {state.value === "error" && error.value ? (
        <Alert tone="error">{problemText(error.value)}</Alert>
      ) : null}
      {state.value === "ok" && items.value.length === 0 ? (
        <Empty icon="sales" title={filtered ? t("sales.noneMatch") : t("sales.none")}>
          {filtered ? t("sales.noneMatchBody") : t("sales.noneBody")}
        </Empty>
      ) : null}
      {items.value.length > 0 ? (
        <>
          <p class="hint" role="status">
            <Msg
              id="sales.shown"
              values={{ count: items.value.length, total: <Points value={total} /> }}
            />
          </p>
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">{t("nav.sales")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("sales.receiptNo")}</th>
                  <th scope="col">{t("sales.time")}</th>
                  <th scope="col">{t("household.head")}</th>
                  <th scope="col">{t("sales.goods")}</th>
                  <th scope="col" class="num-col">
                    {t("sales.total")}
                  </th>
                  <th scope="col">{t("sales.device")}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t("common.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.value.map((s) => (
                  <tr key={s.id} class={s.voided ? "muted-row" : undefined}>
                    <td class="mono">{String(s.receiptNo)}</td>
                    <td class="nowrap">{formatTime(s.createdAt, lang.value)}</td>
                    <td>
                      <a href={`/admin/households/${s.householdId}`}>
                        <bdi>{s.householdName}</bdi>
                      </a>
                    </td>
                    <td>
                      {s.items.map((i) => `${i.name}×${i.quantity}`).join("、")}
                      {s.voided ? <span class="tag muted">{t("sales.voidedTag")}</span> : null}
                      {s.delivery ? (
                        <span class={`tag ${s.delivery.deliveredAt === null ? "warn" : "ok"}`}>
                          {t(
                            s.delivery.deliveredAt === null
                              ? "delivery.tagWaiting"
                              : "delivery.tagDone",
                          )}
                        </span>
                      ) : null}
                    </td>
                    <td class="num-col">
                      <Points value={s.totalPoints} />
                    </td>
                    <td>
                      <bdi>{s.kioskName ?? s.seller}</bdi>
                    </td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="button small"
                        onClick={() => (open.value = s)}
                        aria-label={t("sales.openOne", { no: String(s.receiptNo) })}
                      >
                        {t("sales.open")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {cursor.value !== null ? (
            <button type="button" class="button" onClick={loadMore}>
              {t("common.more")}
            </button>
          ) : null}
        </>
      ) : null}
      <Dialog
        open={open.value !== null}
        title={t("sales.receiptTitle", { no: String(open.value?.receiptNo ?? "") })}
        onClose={() => (open.value = null)}
      >
        {open.value ? (
          <Receipt
            key={open.value.id}
            sale={open.value}
            onVoided={(s) => {
              items.value = items.value.map((x) => (x.id === s.id ? s : x));
              open.value = s;
            }}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

function Receipt({ sale, onVoided }: { sale: Sale; onVoided: (s: Sale) => void }) {
  const voiding = useSignal(false);
  const reason = useSignal("");
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (reason.value.trim() === "") {
      error.value = t("sales.errReason");
      return;
    }
    busy.value = true;
    const res = await post(`/api/redemptions/${sale.id}/void`, { reason: reason.value.trim() });
    busy.value = false;
    if (res.ok)
      onVoided({
        ...sale,
        voided: true,
        voidReason: reason.value.trim(),
        voidedAt: new Date().toISOString(),
      });
    else
      error.value =
        becauseText(res.error) ?? `${problemText(res.error)} ${problemDetail(res.error)}`;
  };
  return (
    <div class="stack">
      <dl class="facts">
        <dt>{t("household.head")}</dt>
        <dd>
          <bdi>{sale.householdName}</bdi>
        </dd>
        <dt>{t("sales.time")}</dt>
        <dd>{formatTime(sale.createdAt, lang.value)}</dd>
        <dt>{t("sales.device")}</dt>
        <dd>
          <bdi>{sale.kioskName ?? sale.seller}</bdi>
        </dd>
      </dl>
      <table class="table compact">
        <caption class="visually-hidden">{t("sales.goods")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("sales.goods")}</th>
            <th scope="col" class="num-col">
              {t("good.quantity")}
            </th>
            <th scope="col" class="num-col">
              {t("sales.points")}
            </th>
          </tr>
        </thead>
        <tbody>
          {sale.items.map((i) => (
            <tr key={i.goodsId}>
              <td>
                <bdi>{i.name}</bdi>
              </td>
              <td class="num-col num">{i.quantity}</td>
              <td class="num-col">
                <Points value={i.points} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="receipt-total">
        <Msg
          id="sales.totalLine"
          values={{
            total: <Points value={sale.totalPoints} />,
            after: <Points value={sale.balanceAfter} />,
          }}
        />
      </p>
      {sale.voided ? (
        <Alert tone="info">
          <Msg id="sales.voidedLine" values={{ reason: sale.voidReason ?? "" }} />
        </Alert>
      ) : null}
      <div class="button-row">
        <a
          class="button"
          href={`/api/redemptions/${sale.id}/receipt`}
          target="_blank"
          rel="noopener"
        >
          <Icon name="print" />
          {t("sales.reprint")}
        </a>
        {!sale.voided && !voiding.value ? (
          <button
            type="button"
            class="button danger-outline"
            onClick={() => (voiding.value = true)}
          >
            {t("sales.void")}
          </button>
        ) : null}
      </div>
      {voiding.value && !sale.voided ? (
        <form class="stack" onSubmit={submit} noValidate>
          <p>{t("sales.voidExplain")}</p>
          <TextField
            id="void-reason"
            label={t("sales.voidReason")}
            error={error.value}
            maxLength={200}
            value={reason.value}
            onValue={(v) => (reason.value = v)}
          />
          <div class="button-row">
            <button type="submit" class="button danger" disabled={busy.value}>
              {busy.value ? t("common.working") : t("sales.voidConfirm")}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
