import { t } from "../i18n/index.ts";

export function Loading() {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {t("common.loading")}
    </p>
  );
}
