import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { formatCardNumber } from "../../ui/format.ts";
import { call, del, get, post, qs } from "../api.ts";
import { TextField } from "../components/Field.tsx";
import { FormButtons } from "../components/FormButtons.tsx";
import { PIN_INPUT, PIN_PATTERN } from "../components/MyAccount.tsx";
import { usePaged } from "../logic/paged.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { Empty } from "../components/Empty.tsx";
import { EntryStatus } from "../components/EntryStatus.tsx";
import { HouseholdForm } from "../components/HouseholdForm.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { SuspensionNotice } from "../components/SuspensionNotice.tsx";
import { Points } from "../components/Points.tsx";
import { Stars } from "../components/Stars.tsx";
import { lang, t, tKnown } from "../i18n/index.ts";
import { formatDay, formatTime } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { becauseText, problemDetail, problemText } from "../logic/problems.ts";
import type { PageProps } from "../routes.ts";
import { chooseVillage, isCommittee, me, villageId } from "../state/session.ts";
import type { Card, Entry, Household, Objection, Page, PointsStatement } from "../types.ts";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";

const HISTORY_PAGE = 20;

/** One household: members, balance, the full history (cursor paging), its cards and objections. */
export default function HouseholdPage({ params }: PageProps) {
  const id = params["id"] ?? "";
  const [household, reload] = useLoad(
    () => get<Household>(`/api/households/${encodeURIComponent(id)}`),
    [id],
  );
  const editing = useSignal(false);
  const state = household.value;

  // The township administrator may open a household of any village: the pages follow it there.
  useEffect(() => {
    if (
      state.state === "ok" &&
      me.value?.role === "township_admin" &&
      state.data.villageId !== villageId.value
    )
      chooseVillage(state.data.villageId);
  }, [state]);

  if (state.state === "loading") return <Loading />;
  if (state.state === "error") {
    const missing =
      state.error.kind === "problem" && (state.error.status === 404 || state.error.status === 400);
    return (
      <section class="page">
        <PageHeader title={t("household.title")} />
        <Alert tone="error">{missing ? t("household.missing") : problemText(state.error)}</Alert>
        <p>
          <a class="button" href="/admin/households">
            {t("household.back")}
          </a>
        </p>
      </section>
    );
  }
  const h = state.data;
  const others = h.members.filter((m) => !m.isHead);
  return (
    <section class="page household">
      <nav class="crumbs" aria-label={t("common.breadcrumb")}>
        <a href="/admin/households">{t("nav.households")}</a> <span aria-hidden="true">›</span>{" "}
        <bdi>{h.headName}</bdi>
      </nav>
      <PageHeader
        title={h.headName}
        lead={
          <>
            <bdi>{h.address || t("household.noAddress")}</bdi>
            {h.externalId ? (
              <>
                {" · "}
                {t("household.externalId")} <bdi class="mono">{h.externalId}</bdi>
              </>
            ) : null}
          </>
        }
        actions={
          <>
            <a class="button primary" href={`/admin/record?household=${h.id}`}>
              <Icon name="record" />
              {t("household.record")}
            </a>
            <button type="button" class="button" onClick={() => (editing.value = true)}>
              {t("household.edit")}
            </button>
          </>
        }
      />
      <SuspensionNotice householdId={h.id} />
      <div class="household-grid">
        <section class="card balance-card" aria-labelledby="balance-title">
          <h2 class="small-title" id="balance-title">
            {t("household.spendable")}
          </h2>
          <p class="balance-big">
            <Points value={h.balance} />
          </p>
          <p class="hint">{t("household.spendableHint")}</p>
          <h2 class="small-title honour-title" id="honour-title">
            {t("household.honour")}
          </h2>
          <p class="honour-big">
            <Points value={h.honourScore} /> <Stars star={h.star} none />
          </p>
          <p class="hint">{t("household.honourHint")}</p>
        </section>
        <section class="card" aria-labelledby="members-title">
          <h2 class="small-title" id="members-title">
            <Msg id="household.membersN" values={{ count: h.members.length }} />
          </h2>
          <ul class="members">
            <li>
              <bdi>{h.headName}</bdi> <span class="tag">{tKnown("relation", "head")}</span>
            </li>
            {others.map((m) => (
              <li key={m.id}>
                <bdi>{m.name}</bdi>{" "}
                <span class="tag muted">
                  {tKnown("relation", m.relation ?? "other", m.relation ?? "")}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <Cards household={h} />
      </div>
      <HouseholdPin household={h} onChanged={reload} />
      <Statements household={h} />
      <History household={h} onChanged={reload} />
      <Objections household={h} />
      <Dialog
        open={editing.value}
        title={t("household.edit")}
        onClose={() => (editing.value = false)}
        wide
      >
        <HouseholdForm
          villageId={h.villageId}
          household={h}
          onCancel={() => (editing.value = false)}
          onDone={() => {
            editing.value = false;
            reload();
          }}
        />
      </Dialog>
    </section>
  );
}

function Cards({ household }: { household: Household }) {
  const [cards, reload] = useLoad(
    () => get<{ items: Card[] }>(`/api/households/${household.id}/cards`),
    [household.id],
  );
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const busy = useSignal(false);
  const revoking = useSignal<Card | null>(null);

  const act = async (run: () => Promise<{ ok: boolean; text: string }>) => {
    busy.value = true;
    const r = await run();
    busy.value = false;
    outcome.value = { tone: r.ok ? "ok" : "error", text: r.text };
    reload();
  };
  const issue = () =>
    act(async () => {
      const res = await post<Card>(`/api/households/${household.id}/cards`);
      return res.ok
        ? { ok: true, text: t("cards.issued", { number: formatCardNumber(res.data.number) }) }
        : { ok: false, text: problemText(res.error) };
    });
  const reissue = (card: Card) =>
    act(async () => {
      const res = await post<Card>(`/api/cards/${card.id}/reissue`);
      return res.ok
        ? { ok: true, text: t("cards.reissued", { number: formatCardNumber(res.data.number) }) }
        : { ok: false, text: problemText(res.error) };
    });
  const revoke = (card: Card) =>
    act(async () => {
      const res = await del(`/api/cards/${card.id}`);
      return res.ok
        ? { ok: true, text: t("cards.revoked", { number: formatCardNumber(card.number) }) }
        : { ok: false, text: problemText(res.error) };
    });

  const list = cards.value.state === "ok" ? cards.value.data.items : [];
  const active = list.filter((c) => !c.revoked);
  return (
    <section class="card cards-card" aria-labelledby="cards-title">
      <h2 class="small-title" id="cards-title">
        {t("cards.title")}
      </h2>
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {cards.value.state === "loading" ? <Loading /> : null}
      {cards.value.state === "error" ? (
        <Alert tone="error">{problemText(cards.value.error)}</Alert>
      ) : null}
      {cards.value.state === "ok" && list.length === 0 ? (
        <p class="hint">{t("cards.none")}</p>
      ) : null}
      <ul class="card-list">
        {[...list].reverse().map((c) => (
          <li key={c.id} class={c.revoked ? "revoked" : undefined}>
            <span class="mono card-number">{formatCardNumber(c.number)}</span>
            <span class={`tag ${c.revoked ? "muted" : "ok"}`}>
              {c.revoked ? t("cards.statusRevoked") : t("cards.statusActive")}
            </span>
            <span class="sub">
              {t("cards.issuedOn", { day: formatDay(c.createdAt.slice(0, 10), lang.value) })}
            </span>
            {!c.revoked ? (
              <span class="card-actions">
                <a
                  class="button small"
                  href={`/api/villages/${household.villageId}/cards/print${qs({ cardId: c.id })}`}
                  target="_blank"
                  rel="noopener"
                >
                  <Icon name="print" size={16} />
                  {t("cards.print")}
                </a>
                <button
                  type="button"
                  class="button small"
                  disabled={busy.value}
                  onClick={() => void reissue(c)}
                >
                  {t("cards.reissue")}
                </button>
                <button
                  type="button"
                  class="button small danger-outline"
                  disabled={busy.value}
                  onClick={() => (revoking.value = c)}
                >
                  {t("cards.revoke")}
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {cards.value.state === "ok" && active.length === 0 ? (
        <button
          type="button"
          class="button primary"
          disabled={busy.value}
          onClick={() => void issue()}
        >
          <Icon name="card" />
          {t("cards.issue")}
        </button>
      ) : null}
      <ConfirmDialog
        open={revoking.value !== null}
        title={t("cards.revokeTitle")}
        confirm={t("cards.revoke")}
        onClose={() => (revoking.value = null)}
        onConfirm={() => {
          const c = revoking.value;
          if (c) void revoke(c);
        }}
      >
        {t("cards.revokeBody", {
          number: revoking.value ? formatCardNumber(revoking.value.number) : "",
        })}
      </ConfirmDialog>
    </section>
  );
}

/** Points statements for the bank (积分贷): issue one, print it, withdraw it. */
function Statements({ household }: { household: Household }) {
  const [list, reload] = useLoad(
    () => get<{ items: PointsStatement[] }>(`/api/households/${household.id}/statements`),
    [household.id],
  );
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const withdrawing = useSignal<PointsStatement | null>(null);
  const reason = useSignal("");
  const busy = useSignal(false);
  const issue = async () => {
    busy.value = true;
    const res = await post<{ statement: PointsStatement }>(
      `/api/households/${household.id}/statements`,
    );
    busy.value = false;
    outcome.value = res.ok
      ? { tone: "ok", text: t("statements.issued", { number: res.data.statement.number }) }
      : { tone: "error", text: becauseText(res.error) ?? problemText(res.error) };
    reload();
  };
  const withdraw = async (ev: Event) => {
    ev.preventDefault();
    const st = withdrawing.value;
    if (!st || reason.value.trim() === "") return;
    busy.value = true;
    const res = await post(`/api/statements/${st.id}/withdraw`, { reason: reason.value.trim() });
    busy.value = false;
    withdrawing.value = null;
    reason.value = "";
    outcome.value = res.ok
      ? { tone: "ok", text: t("statements.withdrawDone", { number: st.number }) }
      : { tone: "error", text: becauseText(res.error) ?? problemText(res.error) };
    reload();
  };
  const items = list.value.state === "ok" ? list.value.data.items : [];
  return (
    <section class="card stack" aria-labelledby="statements-title">
      <h2 class="small-title" id="statements-title">
        {t("statements.title")}
      </h2>
      <p class="hint">{t("statements.explain")}</p>
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {list.value.state === "ok" && items.length === 0 ? (
        <p class="hint">{t("statements.none")}</p>
      ) : null}
      {items.length > 0 ? (
        <ul class="card-list">
          {items.map((st) => (
            <li key={st.id} class={st.withdrawnAt ? "revoked" : undefined}>
              <span class="mono card-number">{st.number}</span>
              {st.withdrawnAt ? <span class="tag muted">{t("statements.withdrawn")}</span> : null}
              <span class="sub">
                {formatTime(st.issuedAt, lang.value)} ·{" "}
                {t("statements.honour", { score: st.honourScore, star: st.star })}
              </span>
              <span class="card-actions">
                <a class="button small" href={st.printUrl} target="_blank" rel="noopener">
                  <Icon name="print" size={16} />
                  {t("statements.print")}
                </a>
                <a class="button small" href={st.verifyUrl} target="_blank" rel="noopener">
                  {t("statements.verify")}
                </a>
                {!st.withdrawnAt && isCommittee.value ? (
                  <button
                    type="button"
                    class="button small danger-outline"
                    onClick={() => (withdrawing.value = st)}
                  >
                    {t("statements.withdraw")}
                  </button>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {withdrawing.value ? (
        <form class="stack" onSubmit={withdraw} noValidate>
          <TextField
            id="st-reason"
            label={t("statements.withdrawReason")}
            maxLength={200}
            value={reason.value}
            onValue={(v) => (reason.value = v)}
          />
          <FormButtons
            busy={busy.value}
            submit={t("statements.withdraw")}
            onCancel={() => (withdrawing.value = null)}
            danger
          />
        </form>
      ) : (
        <div class="button-row">
          <button
            type="button"
            class="button primary"
            disabled={busy.value}
            onClick={() => void issue()}
          >
            {busy.value ? t("common.working") : t("statements.issue")}
          </button>
        </div>
      )}
    </section>
  );
}

/**
 * The household's PIN (户密码): asked at the kiosk when a card's number is typed instead of scanned,
 * where the village asks for it, so that a guessed number buys nothing.
 */
function HouseholdPin({ household, onChanged }: { household: Household; onChanged: () => void }) {
  const editing = useSignal(false);
  const pin = useSignal("");
  const again = useSignal("");
  const errors = useSignal<{ pin?: string; again?: string }>({});
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const busy = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: { pin?: string; again?: string } = {};
    if (!PIN_PATTERN.test(pin.value)) errs.pin = t("pin.errPin");
    else if (again.value !== pin.value) errs.again = t("pin.errAgain");
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res = await call("PUT", `/api/households/${household.id}/pin`, {
      body: { pin: pin.value },
    });
    busy.value = false;
    if (res.ok) {
      pin.value = again.value = "";
      editing.value = false;
      outcome.value = { tone: "ok", text: t("hhpin.done") };
      onChanged();
    } else
      outcome.value = { tone: "error", text: becauseText(res.error) ?? problemText(res.error) };
  };
  const clear = async () => {
    const res = await del(`/api/households/${household.id}/pin`);
    outcome.value = res.ok
      ? { tone: "ok", text: t("hhpin.cleared") }
      : { tone: "error", text: problemText(res.error) };
    onChanged();
  };
  return (
    <section class="card stack" aria-labelledby="hhpin-title">
      <h2 class="small-title" id="hhpin-title">
        {t("hhpin.title")}{" "}
        <span class={`tag ${household.hasPin ? "ok" : "muted"}`}>
          {household.hasPin ? t("pin.isSet") : t("pin.notSet")}
        </span>
      </h2>
      <p class="hint">{t("hhpin.explain")}</p>
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {editing.value ? (
        <form class="stack" onSubmit={submit} noValidate>
          <div class="field-row">
            <TextField
              id="hhpin-new"
              label={t("pin.pin")}
              error={errors.value.pin}
              {...PIN_INPUT}
              value={pin.value}
              onValue={(v) => (pin.value = v)}
            />
            <TextField
              id="hhpin-again"
              label={t("pin.again")}
              error={errors.value.again}
              {...PIN_INPUT}
              value={again.value}
              onValue={(v) => (again.value = v)}
            />
          </div>
          <FormButtons
            busy={busy.value}
            submit={t("hhpin.save")}
            onCancel={() => (editing.value = false)}
          />
        </form>
      ) : (
        <div class="button-row">
          <button type="button" class="button" onClick={() => (editing.value = true)}>
            {household.hasPin ? t("pin.change") : t("pin.set")}
          </button>
          {household.hasPin ? (
            <button type="button" class="button danger-outline" onClick={() => void clear()}>
              {t("pin.clear")}
            </button>
          ) : null}
        </div>
      )}
    </section>
  );
}

function History({ household, onChanged }: { household: Household; onChanged: () => void }) {
  const { items, cursor, state, loadMore, reload } = usePaged<Entry>(
    (after) =>
      `/api/households/${household.id}/entries${qs({ limit: HISTORY_PAGE, cursor: after })}`,
    [household.id],
  );
  const reversing = useSignal<Entry | null>(null);
  const reason = useSignal("");
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);

  const reverse = async () => {
    const entry = reversing.value;
    if (!entry || reason.value.trim() === "") return;
    reversing.value = null;
    const res = await post<{ entry: Entry }>(`/api/entries/${entry.id}/reverse`, {
      reason: reason.value.trim(),
    });
    reason.value = "";
    outcome.value = res.ok
      ? { tone: "ok", text: t("history.reversed") }
      : { tone: "error", text: `${problemText(res.error)} ${problemDetail(res.error)}` };
    reload();
    onChanged();
  };

  return (
    <section class="card history" aria-labelledby="history-title">
      <h2 class="small-title" id="history-title">
        {t("history.title")}
      </h2>
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {state.value === "loading" ? <Loading /> : null}
      {state.value === "error" ? <Alert tone="error">{t("problem.network")}</Alert> : null}
      {state.value === "ok" && items.value.length === 0 ? (
        <Empty icon="record" title={t("history.none")} />
      ) : null}
      {items.value.length > 0 ? (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("history.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("entry.day")}</th>
                <th scope="col">{t("entry.what")}</th>
                <th scope="col" class="num-col">
                  {t("entry.points")}
                </th>
                <th scope="col">{t("entry.status")}</th>
                <th scope="col" class="num-col">
                  {t("entry.balanceAfter")}
                </th>
                <th scope="col">{t("entry.recordedBy")}</th>
                {isCommittee.value ? (
                  <th scope="col">
                    <span class="visually-hidden">{t("common.actions")}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {items.value.map((e) => (
                <tr key={e.id}>
                  <td class="nowrap">{formatDay(e.occurredOn, lang.value, true)}</td>
                  <td>
                    <bdi>{e.ruleTitle ?? tKnown("kind", e.kind)}</bdi>
                    <span class="sub">{tKnown("kind", e.kind)}</span>
                  </td>
                  <td class="num-col">
                    <Points value={e.points} signed />
                  </td>
                  <td>
                    <EntryStatus status={e.status} />
                    {e.reversedById ? <span class="sub">{t("history.wasReversed")}</span> : null}
                  </td>
                  <td class="num-col">
                    {e.balanceAfter === null ? "—" : <Points value={e.balanceAfter} />}
                  </td>
                  <td>
                    <bdi>{e.createdBy}</bdi>
                    <span class="sub">{formatTime(e.createdAt, lang.value)}</span>
                  </td>
                  {isCommittee.value ? (
                    <td class="row-actions">
                      {e.status === "posted" &&
                      (e.kind === "award" || e.kind === "deduction") &&
                      e.reversedById === null ? (
                        <button
                          type="button"
                          class="button ghost small"
                          onClick={() => (reversing.value = e)}
                        >
                          {t("history.reverse")}
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor.value !== null ? (
        <button type="button" class="button" onClick={loadMore}>
          {t("history.older")}
        </button>
      ) : null}
      <Dialog
        open={reversing.value !== null}
        title={t("history.reverseTitle")}
        onClose={() => (reversing.value = null)}
      >
        <form
          class="stack"
          onSubmit={(ev) => {
            ev.preventDefault();
            void reverse();
          }}
        >
          <p>{t("history.reverseBody")}</p>
          <div class="field">
            <label for="reverse-reason">{t("history.reverseReason")}</label>
            <textarea
              id="reverse-reason"
              rows={2}
              maxLength={500}
              required
              value={reason.value}
              onInput={(ev) => (reason.value = (ev.target as HTMLTextAreaElement).value)}
            />
          </div>
          <div class="button-row">
            <button type="submit" class="button danger" disabled={reason.value.trim() === ""}>
              {t("history.reverse")}
            </button>
            <button type="button" class="button" onClick={() => (reversing.value = null)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}

function Objections({ household }: { household: Household }) {
  const [list] = useLoad(
    () =>
      get<Page<Objection>>(
        `/api/villages/${household.villageId}/objections${qs({ status: "all", householdId: household.id, limit: 20 })}`,
      ),
    [household.id],
  );
  if (list.value.state !== "ok" || list.value.data.items.length === 0) return null;
  return (
    <section class="card" aria-labelledby="objections-title">
      <h2 class="small-title" id="objections-title">
        {t("household.objections")}
      </h2>
      <ul class="reasons">
        {list.value.data.items.map((o) => (
          <li key={o.id}>
            <span>
              <bdi>{o.entry.ruleTitle}</bdi> <Points value={o.entry.points} signed />{" "}
              <EntryStatus status={o.entry.status} />
            </span>
            <blockquote>{o.reason}</blockquote>
            <span class="sub">{formatTime(o.createdAt, lang.value)}</span>
            {o.entry.status === "disputed" && isCommittee.value ? (
              <a href={`/admin/review?tab=objections&entry=${o.entryId}`}>
                {t("household.decide")}
              </a>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
