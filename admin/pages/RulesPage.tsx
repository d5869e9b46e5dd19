import { useSignal } from "@preact/signals";
import { fieldErrors, get, patch, post, qs } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { FormButtons } from "../components/FormButtons.tsx";
import { RuleGroups } from "../components/RuleGroups.tsx";
import { Empty } from "../components/Empty.tsx";
import { SuspendMonthsField } from "../components/SuspendMonthsField.tsx";
import { Field, TextField } from "../components/Field.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Points } from "../components/Points.tsx";
import { t, tKnown } from "../i18n/index.ts";
import { useLoad } from "../logic/load.ts";
import { problemDetail, problemText } from "../logic/problems.ts";
import { CATEGORY_ORDER, SUSPEND_MONTHS_MAX, groupRules, suspendMonthsOf } from "../logic/rules.ts";
import { isCommittee, villageId } from "../state/session.ts";
import type { Rule, RuleTemplate } from "../types.ts";

export const POINTS_MAX = 10_000;

/** The village rules (村规民约) by category: add, change, retire (past entries never change), copy from templates. */
export default function RulesPage() {
  const vid = villageId.value;
  const [rules, reload] = useLoad(
    () =>
      vid === null
        ? null
        : get<{ items: Rule[] }>(`/api/villages/${vid}/rules${qs({ includeRetired: true })}`),
    [vid],
  );
  const editing = useSignal<Rule | "new" | null>(null);
  const retiring = useSignal<Rule | null>(null);
  const copying = useSignal(false);
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const showRetired = useSignal(false);
  const canEdit = isCommittee.value;

  const setActive = async (rule: Rule, active: boolean) => {
    const res = await patch<{ rule: Rule }>(`/api/rules/${rule.id}`, { active });
    outcome.value = res.ok
      ? { tone: "ok", text: t(active ? "rules.restored" : "rules.retired", { title: rule.title }) }
      : { tone: "error", text: `${problemText(res.error)} ${problemDetail(res.error)}` };
    reload();
  };

  if (vid === null) return <Loading />;
  const all = rules.value.state === "ok" ? rules.value.data.items : [];
  const visible = showRetired.value ? all : all.filter((r) => r.active);
  const retiredCount = all.filter((r) => !r.active).length;
  return (
    <section class="page rules">
      <PageHeader
        title={t("nav.rules")}
        lead={t("rules.lead")}
        actions={
          canEdit ? (
            <>
              <button type="button" class="button primary" onClick={() => (editing.value = "new")}>
                <Icon name="plus" />
                {t("rules.add")}
              </button>
              <button type="button" class="button" onClick={() => (copying.value = true)}>
                {t("rules.fromTemplates")}
              </button>
            </>
          ) : null
        }
      />
      {!canEdit ? <Alert tone="info">{t("rules.readOnly")}</Alert> : null}
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {rules.value.state === "loading" ? <Loading /> : null}
      {rules.value.state === "error" ? (
        <Alert tone="error">{problemText(rules.value.error)}</Alert>
      ) : null}
      {rules.value.state === "ok" && all.length === 0 ? (
        <Empty icon="rules" title={t("rules.none")}>
          {canEdit ? t("rules.noneBody") : t("rules.noneClerk")}
        </Empty>
      ) : null}
      {retiredCount > 0 ? (
        <label class="checkbox">
          <input
            type="checkbox"
            checked={showRetired.value}
            onChange={(e) => (showRetired.value = (e.target as HTMLInputElement).checked)}
          />
          <span>
            <Msg id="rules.showRetired" values={{ count: retiredCount }} />
          </span>
        </label>
      ) : null}
      <RuleGroups
        rules={visible}
        idPrefix="cat"
        actions={
          canEdit
            ? {
                edit: (r) => (editing.value = r),
                retire: (r) => (retiring.value = r),
                restore: (r) => void setActive(r, true),
              }
            : null
        }
      />
      <Dialog
        open={editing.value !== null}
        title={editing.value === "new" ? t("rules.add") : t("rules.edit")}
        onClose={() => (editing.value = null)}
      >
        {editing.value !== null ? (
          <RuleForm
            villageId={vid}
            rule={editing.value === "new" ? null : editing.value}
            categories={[...new Set([...CATEGORY_ORDER, ...all.map((r) => r.category)])]}
            onCancel={() => (editing.value = null)}
            onDone={(text) => {
              editing.value = null;
              outcome.value = { tone: "ok", text };
              reload();
            }}
          />
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={retiring.value !== null}
        title={t("rules.retireTitle")}
        confirm={t("rules.retire")}
        onClose={() => (retiring.value = null)}
        onConfirm={() => {
          const r = retiring.value;
          if (r) void setActive(r, false);
        }}
      >
        <Msg id="rules.retireBody" values={{ title: retiring.value?.title ?? "" }} />
      </ConfirmDialog>
      <TemplatesDialog
        open={copying.value}
        villageId={vid}
        taken={new Set(all.map((r) => r.code))}
        onClose={() => (copying.value = false)}
        onDone={(count) => {
          copying.value = false;
          outcome.value = { tone: "ok", text: t("rules.copied", { count }) };
          reload();
        }}
      />
    </section>
  );
}

type RuleErrors = Partial<
  Record<"code" | "title" | "category" | "points" | "monthlyCap" | "suspendMonths", string>
>;

function RuleForm({
  villageId,
  rule,
  categories,
  onCancel,
  onDone,
}: {
  villageId: string;
  rule: Rule | null;
  categories: string[];
  onCancel: () => void;
  onDone: (text: string) => void;
}) {
  const code = useSignal(rule?.code ?? "");
  const title = useSignal(rule?.title ?? "");
  const category = useSignal(rule?.category ?? "environment");
  const kind = useSignal<"award" | "deduction">(
    rule !== null && rule.points < 0 ? "deduction" : "award",
  );
  const points = useSignal(rule ? String(Math.abs(rule.points)) : "");
  const cap = useSignal(rule?.monthlyCap === null || rule === null ? "" : String(rule.monthlyCap));
  const suspend = useSignal(rule?.suspendMonths == null ? "" : String(rule.suspendMonths));
  const errors = useSignal<RuleErrors>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: RuleErrors = {};
    if (rule === null && !/^\S{1,20}$/.test(code.value.trim())) errs.code = t("rules.errCode");
    if (title.value.trim() === "" || title.value.trim().length > 100)
      errs.title = t("rules.errTitle");
    const p = Number(points.value);
    if (!Number.isInteger(p) || p < 1 || p > POINTS_MAX)
      errs.points = t("rules.errPoints", { max: POINTS_MAX });
    const c = cap.value.trim() === "" ? null : Number(cap.value);
    if (c !== null && (!Number.isInteger(c) || c < 1)) errs.monthlyCap = t("rules.errCap");
    // Only a deduction suspends redemptions (一票否决); an award sends none.
    const { months: sm, valid: smValid } = suspendMonthsOf(
      suspend.value,
      kind.value === "deduction",
    );
    if (!smValid) errs.suspendMonths = t("rules.errSuspend", { max: SUSPEND_MONTHS_MAX });
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    failure.value = null;
    const signed = kind.value === "award" ? p : -p;
    const body = {
      title: title.value.trim(),
      category: category.value,
      points: signed,
      monthlyCap: c,
      suspendMonths: sm,
    };
    const res =
      rule === null
        ? await post<{ rule: Rule }>(`/api/villages/${villageId}/rules`, {
            code: code.value.trim(),
            ...body,
          })
        : await patch<{ rule: Rule }>(`/api/rules/${rule.id}`, body);
    busy.value = false;
    if (res.ok) {
      onDone(t(rule === null ? "rules.added" : "rules.changed", { title: body.title }));
      return;
    }
    const fields = fieldErrors(res.error);
    errors.value = {
      ...(fields["code"] ? { code: t("rules.errCode") } : {}),
      ...(fields["title"] ? { title: t("rules.errTitle") } : {}),
      ...(fields["points"] ? { points: t("rules.errPoints", { max: POINTS_MAX }) } : {}),
      ...(fields["monthlyCap"] ? { monthlyCap: t("rules.errCap") } : {}),
      ...(fields["suspendMonths"]
        ? { suspendMonths: t("rules.errSuspend", { max: SUSPEND_MONTHS_MAX }) }
        : {}),
    };
    const conflict = res.error.kind === "problem" && res.error.status === 409;
    failure.value = conflict
      ? t("rules.codeTaken", { code: code.value.trim() })
      : `${problemText(res.error)} ${problemDetail(res.error)}`;
  };

  const e = errors.value;
  return (
    <form class="stack" onSubmit={submit} noValidate>
      {rule !== null ? <Alert tone="info">{t("rules.changeNote")}</Alert> : null}
      <div class="field-row">
        <TextField
          id="rule-code"
          label={t("rules.code")}
          error={e.code}
          hint={t("rules.codeHint")}
          maxLength={20}
          disabled={rule !== null}
          value={code.value}
          onValue={(v) => (code.value = v)}
        />
        <Field id="rule-category" label={t("rules.category")} error={e.category}>
          <select
            id="rule-category"
            value={category.value}
            onChange={(ev) => (category.value = (ev.target as HTMLSelectElement).value)}
          >
            {categories.map((c) => (
              <option key={c} value={c}>
                {tKnown("category", c)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <TextField
        id="rule-title"
        label={t("rules.title")}
        error={e.title}
        maxLength={100}
        value={title.value}
        onValue={(v) => (title.value = v)}
      />
      <fieldset class="inline-choice">
        <legend>{t("rules.kind")}</legend>
        <label class="radio">
          <input
            type="radio"
            name="rule-kind"
            checked={kind.value === "award"}
            onChange={() => (kind.value = "award")}
          />
          <span>{t("rules.award")}</span>
        </label>
        <label class="radio">
          <input
            type="radio"
            name="rule-kind"
            checked={kind.value === "deduction"}
            onChange={() => (kind.value = "deduction")}
          />
          <span>{t("rules.deduction")}</span>
        </label>
      </fieldset>
      <div class="field-row">
        <TextField
          id="rule-points"
          label={t("rules.points")}
          error={e.points}
          type="number"
          inputMode="numeric"
          min={1}
          max={POINTS_MAX}
          value={points.value}
          onValue={(v) => (points.value = v)}
        />
        <TextField
          id="rule-cap"
          label={t("rules.cap")}
          optional
          error={e.monthlyCap}
          hint={t("rules.capHint")}
          type="number"
          inputMode="numeric"
          min={1}
          value={cap.value}
          onValue={(v) => (cap.value = v)}
        />
      </div>
      {kind.value === "deduction" ? (
        <SuspendMonthsField id="rule-suspend" value={suspend} error={e.suspendMonths} />
      ) : null}
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons busy={busy.value} submit={t("common.save")} onCancel={onCancel} />
    </form>
  );
}

function TemplatesDialog({
  open,
  villageId,
  taken,
  onClose,
  onDone,
}: {
  open: boolean;
  villageId: string;
  taken: ReadonlySet<string>;
  onClose: () => void;
  onDone: (count: number) => void;
}) {
  const [templates] = useLoad(
    () => (open ? get<{ items: RuleTemplate[] }>("/api/rule-templates") : null),
    [open],
  );
  const chosen = useSignal<ReadonlySet<string>>(new Set());
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const copy = async () => {
    busy.value = true;
    const res = await post<{ items: Rule[] }>(`/api/villages/${villageId}/rules/from-templates`, {
      templateIds: [...chosen.value],
    });
    busy.value = false;
    if (res.ok) {
      chosen.value = new Set();
      onDone(res.data.items.length);
    } else failure.value = `${problemText(res.error)} ${problemDetail(res.error)}`;
  };
  const list = templates.value.state === "ok" ? templates.value.data.items : [];
  return (
    <Dialog open={open} title={t("rules.fromTemplates")} onClose={onClose} wide>
      {templates.value.state === "loading" ? <Loading /> : null}
      {templates.value.state === "ok" && list.length === 0 ? <p>{t("rules.noTemplates")}</p> : null}
      {list.length > 0 ? (
        <fieldset class="template-list">
          <legend>{t("rules.pickTemplates")}</legend>
          {groupRules(list).map((g) => (
            <div key={g.category}>
              <h3 class="tiny-title">{tKnown("category", g.category)}</h3>
              {g.rules.map((tpl) => {
                const has = taken.has(tpl.code);
                return (
                  <label key={tpl.id} class={`checkbox${has ? " disabled" : ""}`}>
                    <input
                      type="checkbox"
                      disabled={has}
                      checked={chosen.value.has(tpl.id)}
                      onChange={() => {
                        const next = new Set(chosen.value);
                        if (next.has(tpl.id)) next.delete(tpl.id);
                        else next.add(tpl.id);
                        chosen.value = next;
                      }}
                    />
                    <span>
                      <span class="mono">{tpl.code}</span> <bdi>{tpl.title}</bdi>{" "}
                      <Points value={tpl.points} signed />
                      {has ? <span class="tag muted">{t("rules.alreadyHave")}</span> : null}
                    </span>
                  </label>
                );
              })}
            </div>
          ))}
        </fieldset>
      ) : null}
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <div class="button-row">
        <button
          type="button"
          class="button primary"
          disabled={chosen.value.size === 0 || busy.value}
          onClick={() => void copy()}
        >
          <Msg id="rules.copyN" values={{ count: chosen.value.size }} />
        </button>
        <button type="button" class="button" onClick={onClose}>
          {t("common.cancel")}
        </button>
      </div>
    </Dialog>
  );
}
