import { useSignal } from "@preact/signals";
import { fieldErrors, get, patch, post, qs } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { FormButtons } from "../components/FormButtons.tsx";
import { RuleGroups } from "../components/RuleGroups.tsx";
import { Empty } from "../components/Empty.tsx";
import { SuspendMonthsField } from "../components/SuspendMonthsField.tsx";
import { Field, TextField } from "../components/Field.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { SettingsNav } from "../components/SettingsNav.tsx";
import { t, tKnown } from "../i18n/index.ts";
import { useLoad } from "../logic/load.ts";
import { becauseText, problemDetail, problemText } from "../logic/problems.ts";
import { CATEGORY_ORDER, SUSPEND_MONTHS_MAX, suspendMonthsOf } from "../logic/rules.ts";
import type { RuleTemplate } from "../types.ts";

type Template = RuleTemplate & { active?: boolean };
const POINTS_MAX = 10_000;

/** The township's rule templates, which villages copy and adapt into their own rules. */
export default function TemplatesPage() {
  const [templates, reload] = useLoad(
    () => get<{ items: Template[] }>(`/api/rule-templates${qs({ includeRetired: true })}`),
    [],
  );
  const editing = useSignal<Template | "new" | null>(null);
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const list = templates.value.state === "ok" ? templates.value.data.items : [];
  const setActive = async (tpl: Template, active: boolean) => {
    const res = await patch(`/api/rule-templates/${tpl.id}`, { active });
    outcome.value = res.ok
      ? { tone: "ok", text: t(active ? "rules.restored" : "rules.retired", { title: tpl.title }) }
      : { tone: "error", text: problemText(res.error) };
    reload();
  };
  return (
    <section class="page templates">
      <PageHeader
        title={t("nav.settings")}
        lead={t("templates.lead")}
        actions={
          <button type="button" class="button primary" onClick={() => (editing.value = "new")}>
            <Icon name="plus" />
            {t("templates.add")}
          </button>
        }
      />
      <SettingsNav />
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {templates.value.state === "loading" ? <Loading /> : null}
      {templates.value.state === "ok" && list.length === 0 ? (
        <Empty icon="rules" title={t("rules.noTemplates")}>
          {t("templates.noneBody")}
        </Empty>
      ) : null}
      <RuleGroups
        rules={list}
        idPrefix="tcat"
        actions={{
          edit: (r) => (editing.value = r),
          retire: (r) => void setActive(r, false),
          restore: (r) => void setActive(r, true),
        }}
      />
      <Dialog
        open={editing.value !== null}
        title={editing.value === "new" ? t("templates.add") : t("rules.edit")}
        onClose={() => (editing.value = null)}
      >
        {editing.value !== null ? (
          <TemplateForm
            template={editing.value === "new" ? null : editing.value}
            onCancel={() => (editing.value = null)}
            onDone={(text) => {
              editing.value = null;
              outcome.value = { tone: "ok", text };
              reload();
            }}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

function TemplateForm({
  template,
  onDone,
  onCancel,
}: {
  template: Template | null;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const code = useSignal(template?.code ?? "");
  const title = useSignal(template?.title ?? "");
  const category = useSignal(template?.category ?? "environment");
  const points = useSignal(template ? String(template.points) : "");
  const cap = useSignal(template?.monthlyCap ? String(template.monthlyCap) : "");
  const suspend = useSignal(template?.suspendMonths == null ? "" : String(template.suspendMonths));
  const errors = useSignal<Record<string, string>>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: Record<string, string> = {};
    if (template === null && !/^\S{1,20}$/.test(code.value.trim()))
      errs["code"] = t("rules.errCode");
    if (title.value.trim() === "") errs["title"] = t("rules.errTitle");
    const p = Number(points.value);
    if (!Number.isInteger(p) || p === 0 || Math.abs(p) > POINTS_MAX)
      errs["points"] = t("templates.errPoints", { max: POINTS_MAX });
    const c = cap.value.trim() === "" ? null : Number(cap.value);
    if (c !== null && (!Number.isInteger(c) || c < 1)) errs["monthlyCap"] = t("rules.errCap");
    // Only a deduction suspends redemptions (一票否决); an award sends none, as on a village rule.
    const { months: sm, valid: smValid } = suspendMonthsOf(suspend.value, p < 0);
    if (!smValid) errs["suspendMonths"] = t("rules.errSuspend", { max: SUSPEND_MONTHS_MAX });
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const body = {
      title: title.value.trim(),
      category: category.value,
      points: p,
      monthlyCap: c,
      suspendMonths: sm,
    };
    const res =
      template === null
        ? await post("/api/rule-templates", { code: code.value.trim(), ...body })
        : await patch(`/api/rule-templates/${template.id}`, body);
    busy.value = false;
    if (res.ok) {
      onDone(t(template === null ? "rules.added" : "rules.changed", { title: body.title }));
      return;
    }
    const f = fieldErrors(res.error);
    errors.value = Object.fromEntries(Object.keys(f).map((k) => [k, t("problem.validation")]));
    failure.value =
      res.error.kind === "problem" && res.error.status === 409
        ? t("rules.codeTaken", { code: code.value.trim() })
        : (becauseText(res.error) ?? `${problemText(res.error)} ${problemDetail(res.error)}`);
  };
  const e = errors.value;
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <div class="field-row">
        <TextField
          id="tpl-code"
          label={t("rules.code")}
          error={e["code"]}
          hint={t("rules.codeHint")}
          maxLength={20}
          disabled={template !== null}
          value={code.value}
          onValue={(v) => (code.value = v)}
        />
        <Field id="tpl-category" label={t("rules.category")}>
          <select
            id="tpl-category"
            value={category.value}
            onChange={(ev) => (category.value = (ev.target as HTMLSelectElement).value)}
          >
            {CATEGORY_ORDER.map((c) => (
              <option key={c} value={c}>
                {tKnown("category", c)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <TextField
        id="tpl-title"
        label={t("rules.title")}
        error={e["title"]}
        maxLength={100}
        value={title.value}
        onValue={(v) => (title.value = v)}
      />
      <div class="field-row">
        <TextField
          id="tpl-points"
          label={t("rules.points")}
          error={e["points"]}
          hint={t("templates.pointsHint")}
          type="number"
          inputMode="numeric"
          value={points.value}
          onValue={(v) => (points.value = v)}
        />
        <TextField
          id="tpl-cap"
          label={t("rules.cap")}
          optional
          error={e["monthlyCap"]}
          type="number"
          inputMode="numeric"
          min={1}
          value={cap.value}
          onValue={(v) => (cap.value = v)}
        />
      </div>
      {Number(points.value) < 0 ? (
        <SuspendMonthsField id="tpl-suspend" value={suspend} error={e["suspendMonths"]} />
      ) : null}
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons busy={busy.value} submit={t("common.save")} onCancel={onCancel} />
    </form>
  );
}
