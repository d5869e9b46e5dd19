import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { formatCardNumber } from "../../ui/format.ts";
import { newUuid } from "../../ui/uuid.ts";
import { fieldErrors, get, post, type ApiError } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { describedBy, Field, TextField } from "../components/Field.tsx";
import { HouseholdPicker } from "../components/HouseholdPicker.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { PasteDialog } from "../components/PasteDialog.tsx";
import { PhotoField, type Evidence } from "../components/PhotoField.tsx";
import { Points } from "../components/Points.tsx";
import { lang, t, tKnown } from "../i18n/index.ts";
import { formatDay, shanghaiToday } from "../logic/dates.ts";
import { loadDraft, saveDraft } from "../logic/drafts.ts";
import { useLoad } from "../logic/load.ts";
import { answerLost, becauseText, problemDetail, problemText } from "../logic/problems.ts";
import { groupRules } from "../logic/rules.ts";
import { queryParam, setQuery } from "../router.ts";
import { me, villageId } from "../state/session.ts";
import type { Entry, Household, MatchedHousehold, Rule } from "../types.ts";

export const QUANTITY_MAX = 1000;
export const NOTE_MAX = 500;
export const BATCH_MAX = 500;

type Picked = {
  id: string;
  headName: string;
  address: string;
  balance: number;
  cardNumber: string | null;
};

type Draft = {
  ruleId: string;
  households: Picked[];
  quantity: string;
  day: string;
  note: string;
  claim: boolean;
  evidence: Evidence | null;
  /** The Idempotency-Key of a save whose answer has not come yet: a retry sends it again. */
  key: string | null;
};

type Saved = {
  batchId: string;
  households: number;
  points: number;
  perHousehold: number;
  ruleTitle: string;
  status: Entry["status"];
  noticeEndsAt: string | null;
  undoKey: string;
};

type Errors = Partial<
  Record<"ruleId" | "householdIds" | "quantity" | "occurredOn" | "note" | "evidenceId", string>
>;

const emptyDraft = (): Draft => ({
  ruleId: "",
  households: [],
  quantity: "1",
  day: shanghaiToday(),
  note: "",
  claim: false,
  evidence: null,
  key: null,
});

function picked(h: Household | MatchedHousehold): Picked {
  return {
    id: h.id,
    headName: h.headName,
    address: h.address,
    balance: h.balance,
    cardNumber: h.card?.number ?? null,
  };
}

/** The checks the page makes before it sends anything, in words. */
function validate(d: Draft): Errors {
  const errors: Errors = {};
  if (d.ruleId === "") errors.ruleId = t("record.errRule");
  if (d.households.length === 0) errors.householdIds = t("record.errHouseholds");
  if (d.households.length > BATCH_MAX)
    errors.householdIds = t("record.errTooMany", { max: BATCH_MAX });
  const q = Number(d.quantity);
  if (!Number.isInteger(q) || q < 1 || q > QUANTITY_MAX)
    errors.quantity = t("record.errQuantity", { max: QUANTITY_MAX });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.day)) errors.occurredOn = t("record.errDay");
  else if (d.day > shanghaiToday()) errors.occurredOn = t("record.errFuture");
  if (d.note.length > NOTE_MAX) errors.note = t("record.errNote", { max: NOTE_MAX });
  return errors;
}

/** What a refusal from the server says about each field, in the page's words. */
function serverErrors(error: ApiError): Errors {
  const fields = fieldErrors(error);
  const out: Errors = {};
  if (fields["ruleId"]) out.ruleId = becauseText(error) ?? t("record.errRule");
  if (fields["householdIds"] && error.kind === "problem" && error.status !== 409)
    out.householdIds = t("record.errHouseholdsServer");
  if (fields["quantity"]) out.quantity = t("record.errQuantity", { max: QUANTITY_MAX });
  if (fields["occurredOn"]) out.occurredOn = t("record.errDayServer");
  if (fields["note"]) out.note = t("record.errNote", { max: NOTE_MAX });
  if (fields["evidenceId"]) out.evidenceId = t("record.errPhoto");
  return out;
}

/**
 * Record points: one rule, households added one after another from the keyboard (or a pasted
 * list), saved as one batch with its own Idempotency-Key, and `撤销` to take the batch back.
 */
export default function RecordPage() {
  const vid = villageId.value;
  const draftKey = `jifen.admin.record.${me.value?.id ?? ""}.${vid ?? ""}`;
  const [rules] = useLoad(
    () => (vid === null ? null : get<{ items: Rule[] }>(`/api/villages/${vid}/rules`)),
    [vid],
  );
  const draft = useSignal<Draft>(loadDraft<Draft>(draftKey) ?? emptyDraft());
  const errors = useSignal<Errors>({});
  const failure = useSignal<{ text: string; detail: string; lost: boolean } | null>(null);
  const notice = useSignal<string | null>(null);
  const miss = useSignal<string | null>(null);
  const saving = useSignal(false);
  const saved = useSignal<Saved | null>(null);
  const undo = useSignal<{ state: "idle" | "busy" | "done"; error: string | null; count: number }>({
    state: "idle",
    error: null,
    count: 0,
  });
  const pasting = useSignal(false);
  const saveButton = useRef<HTMLButtonElement>(null);

  useEffect(() => saveDraft(draftKey, draft.value), [draft.value, draftKey]);

  // "给这户记分" on a household's page opens this page with the household already added.
  useEffect(() => {
    const preset = queryParam("household");
    if (preset === null) return;
    void get<Household>(`/api/households/${encodeURIComponent(preset)}`).then((res) => {
      if (res.ok) add([res.data]);
      setQuery({ household: null });
    });
  }, []);

  const update = (patch: Partial<Draft>) => {
    draft.value = { ...draft.value, ...patch };
    failure.value = null;
  };

  const add = (list: (Household | MatchedHousehold)[]) => {
    const have = new Set(draft.value.households.map((h) => h.id));
    const fresh = list.filter((h) => !have.has(h.id)).map(picked);
    if (fresh.length > 0) update({ households: [...draft.value.households, ...fresh] });
    const { householdIds: _drop, ...rest } = errors.value;
    errors.value = rest;
    miss.value = null;
    if (fresh.length === 0 && list.length === 1) {
      miss.value = t("record.already", { name: list[0]!.headName });
      return;
    }
    notice.value =
      fresh.length === 1
        ? t("record.added", { name: fresh[0]!.headName, count: draft.value.households.length })
        : t("record.addedMany", { count: fresh.length, total: draft.value.households.length });
  };

  const ruleList = rules.value.state === "ok" ? rules.value.data.items.filter((r) => r.active) : [];
  const rule = ruleList.find((r) => r.id === draft.value.ruleId) ?? null;
  const quantity = Number(draft.value.quantity);
  const perHousehold = rule && Number.isInteger(quantity) ? rule.points * quantity : 0;
  const total = perHousehold * draft.value.households.length;

  const save = async () => {
    if (saving.value) return;
    const d = draft.value;
    const found = validate(d);
    errors.value = found;
    if (Object.keys(found).length > 0) {
      failure.value = { text: t("record.fixErrors"), detail: "", lost: false };
      return;
    }
    const key = d.key ?? newUuid();
    if (d.key === null) draft.value = { ...d, key };
    saving.value = true;
    failure.value = null;
    const body = {
      ruleId: d.ruleId,
      householdIds: d.households.map((h) => h.id),
      quantity,
      occurredOn: d.day,
      ...(d.note.trim() ? { note: d.note.trim() } : {}),
      ...(d.claim ? { claim: true } : {}),
      ...(d.evidence ? { evidenceId: d.evidence.id } : {}),
    };
    const res = await post<{ entries: Entry[]; batchId: string }>("/api/entries/batch", body, {
      "Idempotency-Key": key,
    });
    saving.value = false;
    if (res.ok) {
      const first = res.data.entries[0];
      saved.value = {
        batchId: res.data.batchId,
        households: res.data.entries.length,
        points: res.data.entries.reduce((sum, e) => sum + e.points, 0),
        perHousehold: first?.points ?? 0,
        ruleTitle: first?.ruleTitle ?? rule?.title ?? "",
        status: first?.status ?? "posted",
        noticeEndsAt: first?.noticeEndsAt ?? null,
        undoKey: newUuid(),
      };
      undo.value = { state: "idle", error: null, count: 0 };
      // The next batch usually keeps the rule and the day: only who and what changes.
      draft.value = { ...emptyDraft(), ruleId: d.ruleId, day: d.day, quantity: d.quantity };
      errors.value = {};
      return;
    }
    const error = res.error;
    if (
      answerLost(error) ||
      (error.kind === "problem" && error.status === 409 && error.retryAfterS !== null)
    ) {
      // No answer: the batch may be recorded. The same key goes with the retry, so it counts once.
      failure.value = {
        text: `${problemText(error)} ${t("record.retrySafe")}`,
        detail: problemDetail(error),
        lost: true,
      };
      return;
    }
    draft.value = { ...draft.value, key: null };
    if (error.kind === "problem" && error.status === 422) {
      failure.value = { text: t("record.alreadySaved"), detail: problemDetail(error), lost: false };
      return;
    }
    const because = becauseText(error);
    errors.value = {
      ...serverErrors(error),
      ...(because !== null && error.kind === "problem" && error.code === "monthly-cap"
        ? { householdIds: because }
        : {}),
    };
    const conflict = error.kind === "problem" && error.status === 409 && because === null;
    failure.value = {
      text: conflict ? t("record.conflict") : problemText(error),
      detail: because === null ? problemDetail(error) : "",
      lost: false,
    };
  };

  const undoBatch = async () => {
    const s = saved.value;
    if (s === null || undo.value.state === "busy") return;
    undo.value = { state: "busy", error: null, count: 0 };
    const res = await post<{ reversed: number; withdrawn: number }>(
      `/api/entries/batches/${encodeURIComponent(s.batchId)}/undo`,
      { reason: t("record.undoReason") },
      { "Idempotency-Key": s.undoKey },
    );
    if (res.ok)
      undo.value = { state: "done", error: null, count: res.data.reversed + res.data.withdrawn };
    else
      undo.value = {
        state: "idle",
        error: `${problemText(res.error)} ${answerLost(res.error) ? t("record.retrySafe") : ""}`,
        count: 0,
      };
  };

  if (vid === null) return <Loading />;
  const d = draft.value;
  const e = errors.value;
  const chosenIds = new Set(d.households.map((h) => h.id));

  return (
    <section class="page record">
      <PageHeader title={t("nav.record")} lead={t("record.lead")} />

      {saved.value ? (
        <SavedPanel
          saved={saved.value}
          undo={undo.value}
          onUndo={() => void undoBatch()}
          onNext={() => (saved.value = null)}
        />
      ) : null}

      <form
        class="record-form card"
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          void save();
        }}
      >
        <Field
          id="record-rule"
          label={t("record.rule")}
          error={e.ruleId}
          hint={rule ? <RuleLine rule={rule} /> : t("record.ruleHint")}
        >
          {rules.value.state === "loading" ? (
            <Loading />
          ) : (
            <select
              id="record-rule"
              value={d.ruleId}
              onChange={(ev) => update({ ruleId: (ev.target as HTMLSelectElement).value })}
              {...describedBy("record-rule", e.ruleId, true)}
            >
              <option value="">{t("record.rulePick")}</option>
              {groupRules(ruleList).map((g) => (
                <optgroup key={g.category} label={tKnown("category", g.category)}>
                  {g.rules.map((r) => (
                    <option key={r.id} value={r.id}>
                      {`${r.code} ${r.title}（${r.points > 0 ? "+" : ""}${r.points}）`}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
        {rules.value.state === "ok" && ruleList.length === 0 ? (
          <Alert tone="warn">
            {t("record.noRules")} <a href="/admin/rules">{t("record.toRules")}</a>
          </Alert>
        ) : null}

        <div class={`field${e.householdIds ? " has-error" : ""}`}>
          <label for="record-household">{t("record.household")}</label>
          <div class="picker-row">
            <HouseholdPicker
              id="record-household"
              villageId={vid}
              chosen={chosenIds}
              onPick={(h) => add([h])}
              onMiss={(text) => (miss.value = t("record.notFound", { text }))}
              error={e.householdIds}
              describedBy={`record-household-hint${e.householdIds ? " record-household-error" : ""}`}
            />
            <button type="button" class="button" onClick={() => (pasting.value = true)}>
              <Icon name="paste" />
              {t("record.paste")}
            </button>
          </div>
          <p class="hint" id="record-household-hint">
            {t("record.householdHint")}
          </p>
          {e.householdIds ? (
            <p class="field-error" id="record-household-error" role="alert">
              {e.householdIds}
            </p>
          ) : null}
          <p class="visually-hidden" role="status" aria-live="polite">
            {notice.value ?? ""}
          </p>
          {miss.value ? (
            <p class="warn-text" role="alert">
              {miss.value}
            </p>
          ) : null}
        </div>

        <ChosenList
          households={d.households}
          onRemove={(id) => update({ households: d.households.filter((h) => h.id !== id) })}
          onClear={() => update({ households: [] })}
        />

        <div class="field-row">
          <TextField
            id="record-quantity"
            label={t("record.quantity")}
            error={e.quantity}
            hint={t("record.quantityHint")}
            type="number"
            inputMode="numeric"
            min={1}
            max={QUANTITY_MAX}
            step={1}
            value={d.quantity}
            onValue={(v) => update({ quantity: v })}
          />
          <TextField
            id="record-day"
            label={t("record.day")}
            error={e.occurredOn}
            hint={t("record.dayHint")}
            type="date"
            max={shanghaiToday()}
            value={d.day}
            onValue={(v) => update({ day: v })}
          />
        </div>

        <Field
          id="record-note"
          label={
            <>
              {t("record.note")} <span class="optional">{t("common.optional")}</span>
            </>
          }
          error={e.note}
          hint={t("record.noteHint")}
        >
          <textarea
            id="record-note"
            rows={2}
            maxLength={NOTE_MAX}
            value={d.note}
            onInput={(ev) => update({ note: (ev.target as HTMLTextAreaElement).value })}
            {...describedBy("record-note", e.note, true)}
          />
        </Field>

        <PhotoField
          id="record-photo"
          villageId={vid}
          value={d.evidence}
          onChange={(evidence) => update({ evidence })}
        />
        {e.evidenceId ? <p class="field-error">{e.evidenceId}</p> : null}

        <label class="checkbox">
          <input
            type="checkbox"
            checked={d.claim}
            onChange={(ev) => update({ claim: (ev.target as HTMLInputElement).checked })}
          />
          <span>
            {t("record.claim")}
            <span class="hint block">{t("record.claimHint")}</span>
          </span>
        </label>

        {failure.value ? (
          <Alert tone="error">
            {failure.value.text}
            {failure.value.detail ? <span class="detail">{failure.value.detail}</span> : null}
          </Alert>
        ) : null}

        <div class="save-bar">
          <p class="save-summary">
            {rule && d.households.length > 0 ? (
              <Msg
                id="record.summary"
                values={{
                  count: d.households.length,
                  each: <Points value={perHousehold} signed />,
                  total: <Points value={total} signed />,
                }}
              />
            ) : (
              t("record.summaryEmpty")
            )}
          </p>
          <button
            ref={saveButton}
            type="submit"
            class="button primary large"
            disabled={saving.value}
          >
            <Icon name="check" />
            {saving.value
              ? t("record.saving")
              : failure.value?.lost
                ? t("record.retry")
                : t("record.save")}
          </button>
        </div>
      </form>

      <PasteDialog
        open={pasting.value}
        villageId={vid}
        onClose={() => (pasting.value = false)}
        onAdd={(list) => add(list)}
      />
    </section>
  );
}

function RuleLine({ rule }: { rule: Rule }) {
  return (
    <span>
      <Msg
        id={rule.points > 0 ? "record.ruleAward" : "record.ruleDeduction"}
        values={{ points: <Points value={rule.points} signed /> }}
      />
      {rule.monthlyCap !== null ? (
        <>
          {" · "}
          <Msg id="record.ruleCap" values={{ cap: rule.monthlyCap }} />
        </>
      ) : null}
    </span>
  );
}

function ChosenList({
  households,
  onRemove,
  onClear,
}: {
  households: Picked[];
  onRemove: (id: string) => void;
  onClear: () => void;
}) {
  if (households.length === 0) {
    return <p class="chosen-empty">{t("record.noneChosen")}</p>;
  }
  return (
    <div class="chosen">
      <div class="chosen-head">
        <h2 class="small-title" id="chosen-title">
          <Msg id="record.chosen" values={{ count: households.length }} />
        </h2>
        <button type="button" class="button ghost small" onClick={onClear}>
          {t("record.clearAll")}
        </button>
      </div>
      <div class="table-wrap">
        <table class="table compact" aria-labelledby="chosen-title">
          <thead>
            <tr>
              <th scope="col">{t("household.head")}</th>
              <th scope="col">{t("household.address")}</th>
              <th scope="col">{t("household.card")}</th>
              <th scope="col" class="num-col">
                {t("household.balance")}
              </th>
              <th scope="col">
                <span class="visually-hidden">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {households.map((h) => (
              <tr key={h.id}>
                <td>
                  <bdi>{h.headName}</bdi>
                </td>
                <td>
                  <bdi>{h.address}</bdi>
                </td>
                <td class="mono">{h.cardNumber ? formatCardNumber(h.cardNumber) : "—"}</td>
                <td class="num-col">
                  <Points value={h.balance} />
                </td>
                <td class="row-actions">
                  <button
                    type="button"
                    class="button ghost small"
                    onClick={() => onRemove(h.id)}
                    aria-label={t("record.removeOne", { name: h.headName })}
                  >
                    {t("record.remove")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function SavedPanel({
  saved,
  undo,
  onUndo,
  onNext,
}: {
  saved: Saved;
  undo: { state: "idle" | "busy" | "done"; error: string | null; count: number };
  onUndo: () => void;
  onNext: () => void;
}) {
  if (undo.state === "done") {
    return (
      <Alert
        tone="info"
        actions={
          <button type="button" class="button small" onClick={onNext}>
            {t("record.dismiss")}
          </button>
        }
      >
        <Msg id="record.undone" values={{ count: undo.count }} />
      </Alert>
    );
  }
  const status =
    saved.status === "posted"
      ? t("record.statusPosted")
      : saved.status === "in_notice" && saved.noticeEndsAt
        ? t("record.statusNotice", {
            day: formatDay(saved.noticeEndsAt.slice(0, 10), lang.value, true),
          })
        : t("record.statusProposed");
  return (
    <Alert
      tone="ok"
      actions={
        <>
          <button type="button" class="button" onClick={onUndo} disabled={undo.state === "busy"}>
            <Icon name="undo" />
            {undo.state === "busy" ? t("common.working") : t("record.undo")}
          </button>
          <button type="button" class="button ghost small" onClick={onNext}>
            {t("record.dismiss")}
          </button>
        </>
      }
    >
      <strong>
        <Msg
          id="record.saved"
          values={{
            count: saved.households,
            rule: saved.ruleTitle,
            total: <Points value={saved.points} signed />,
          }}
        />
      </strong>
      <span class="block">{status}</span>
      {undo.error ? <span class="block error-text">{undo.error}</span> : null}
    </Alert>
  );
}
