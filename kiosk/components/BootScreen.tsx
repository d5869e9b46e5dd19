import { t } from "../i18n/index.ts";

export function BootScreen() {
  return (
    <main class="screen notice-screen" aria-busy="true">
      <div class="notice-card">
        <span class="spinner" aria-hidden="true" />
        <h1>{t("boot.connecting")}</h1>
      </div>
    </main>
  );
}
