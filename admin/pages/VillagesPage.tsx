import { useSignal } from "@preact/signals";
import { fieldErrors, patch, post } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { TextField } from "../components/Field.tsx";
import { Icon } from "../components/Icon.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { SettingsNav } from "../components/SettingsNav.tsx";
import { lang, t } from "../i18n/index.ts";
import { formatDay } from "../logic/dates.ts";
import { becauseText, problemDetail, problemText } from "../logic/problems.ts";
import { chooseVillage, loadVillages, villages } from "../state/session.ts";
import type { Village } from "../types.ts";
import { FormButtons } from "../components/FormButtons.tsx";

/** The township's villages: add one, rename one, and go to its pages. */
export default function VillagesPage() {
  const editing = useSignal<Village | "new" | null>(null);
  const outcome = useSignal<string | null>(null);
  return (
    <section class="page villages">
      <PageHeader
        title={t("nav.settings")}
        lead={t("villages.lead")}
        actions={
          <button type="button" class="button primary" onClick={() => (editing.value = "new")}>
            <Icon name="plus" />
            {t("villages.add")}
          </button>
        }
      />
      <SettingsNav />
      {outcome.value ? <Alert tone="ok">{outcome.value}</Alert> : null}
      <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">{t("villages.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("villages.name")}</th>
              <th scope="col">{t("villages.code")}</th>
              <th scope="col">{t("villages.since")}</th>
              <th scope="col">{t("common.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {villages.value.map((v) => (
              <tr key={v.id}>
                <td>
                  <bdi>{v.name}</bdi>
                </td>
                <td class="mono">{v.code}</td>
                <td>{formatDay(v.createdAt.slice(0, 10), lang.value)}</td>
                <td class="row-actions">
                  <button
                    type="button"
                    class="button small"
                    onClick={() => (editing.value = v)}
                    aria-label={t("villages.renameOne", { name: v.name })}
                  >
                    {t("villages.rename")}
                  </button>
                  <a
                    class="button small"
                    href="/admin/settings"
                    onClick={() => chooseVillage(v.id)}
                  >
                    {t("villages.settings")}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Dialog
        open={editing.value !== null}
        title={editing.value === "new" ? t("villages.add") : t("villages.rename")}
        onClose={() => (editing.value = null)}
      >
        {editing.value !== null ? (
          <VillageForm
            village={editing.value === "new" ? null : editing.value}
            onCancel={() => (editing.value = null)}
            onDone={async (text) => {
              editing.value = null;
              outcome.value = text;
              await loadVillages();
            }}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

function VillageForm({
  village,
  onDone,
  onCancel,
}: {
  village: Village | null;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const name = useSignal(village?.name ?? "");
  const code = useSignal(village?.code ?? "");
  const errors = useSignal<{ name?: string; code?: string }>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: { name?: string; code?: string } = {};
    if (name.value.trim() === "" || name.value.trim().length > 60)
      errs.name = t("villages.errName");
    if (village === null && !/^[A-Za-z0-9_-]{1,20}$/.test(code.value.trim()))
      errs.code = t("villages.errCode");
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res =
      village === null
        ? await post("/api/villages", { name: name.value.trim(), code: code.value.trim() })
        : await patch(`/api/villages/${village.id}`, { name: name.value.trim() });
    busy.value = false;
    if (res.ok) {
      onDone(
        t(village === null ? "villages.added" : "villages.renamed", { name: name.value.trim() }),
      );
      return;
    }
    const f = fieldErrors(res.error);
    errors.value = {
      ...(f["name"] ? { name: t("villages.errName") } : {}),
      ...(f["code"] ? { code: t("villages.errCode") } : {}),
    };
    const taken = res.error.kind === "problem" && res.error.status === 409;
    failure.value = taken
      ? t("villages.codeTaken", { code: code.value.trim() })
      : (becauseText(res.error) ?? `${problemText(res.error)} ${problemDetail(res.error)}`);
  };
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <TextField
        id="village-name"
        label={t("villages.name")}
        error={errors.value.name}
        maxLength={60}
        value={name.value}
        onValue={(v) => (name.value = v)}
      />
      <TextField
        id="village-code"
        label={t("villages.code")}
        error={errors.value.code}
        hint={t("villages.codeHint")}
        maxLength={20}
        disabled={village !== null}
        autocapitalize="off"
        value={code.value}
        onValue={(v) => (code.value = v)}
      />
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons busy={busy.value} submit={t("common.save")} onCancel={onCancel} />
    </form>
  );
}
