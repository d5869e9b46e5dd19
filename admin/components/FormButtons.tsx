import { t } from "../i18n/index.ts";

/** A form's closing row: the submit button (saying it is working while `busy`) and 取消. */
export function FormButtons({
  busy,
  submit,
  onCancel,
  danger = false,
}: {
  busy: boolean;
  submit: string;
  onCancel: () => void;
  danger?: boolean;
}) {
  return (
    <div class="button-row">
      <button type="submit" class={`button ${danger ? "danger" : "primary"}`} disabled={busy}>
        {busy ? t("common.working") : submit}
      </button>
      <button type="button" class="button" onClick={onCancel}>
        {t("common.cancel")}
      </button>
    </div>
  );
}
