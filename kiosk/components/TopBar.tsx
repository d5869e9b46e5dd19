import { t } from "../i18n/index.ts";
import { goTo, resetVisit } from "../state/actions.ts";
import { me, screen, submitting } from "../state/store.ts";
import { Icon } from "./Icon.tsx";
import { LangButton } from "./LangButton.tsx";
import { VoiceButton } from "./VoiceButton.tsx";

const SALE_SCREENS = new Set(["scan", "household", "goods", "review"]);

export function TopBar() {
  const where = screen.value;
  const village = me.value?.village.name ?? "";
  return (
    <header class="topbar">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          <Icon name="basket" size={40} />
        </span>
        <span class="stack">
          <span class="brand-name">{t("app.title")}</span>
          {village !== "" && <bdi class="brand-village">{village}</bdi>}
        </span>
      </div>
      <nav class="topbar-actions">
        {SALE_SCREENS.has(where) && (
          <button
            type="button"
            class="btn btn-quiet"
            disabled={submitting.value}
            onClick={resetVisit}
          >
            <Icon name="home" />
            <span>{t("common.exit")}</span>
          </button>
        )}
        {where === "attract" && (
          <button type="button" class="btn btn-quiet" onClick={() => goTo("staff-login")}>
            <Icon name="staff" />
            <span>{t("staff.button")}</span>
          </button>
        )}
        <VoiceButton />
      </nav>
      <LangButton />
    </header>
  );
}
