import { t } from "../i18n/index.ts";
import { goTo } from "../state/actions.ts";
import { household } from "../state/store.ts";
import { Icon } from "./Icon.tsx";
import { Points } from "./Points.tsx";

/** Right after the card is read: who, and how many points, as large as the screen allows. */
export function HouseholdScreen() {
  const h = household.value;
  if (h === null) return null;
  return (
    <main class="screen household-screen">
      <div class="welcome-card">
        <h1 class="welcome-hello">
          <span>{t("household.greeting")}</span>
          {"  "}
          <bdi class="welcome-name">{h.displayName}</bdi>
        </h1>
        <p class="welcome-label">{t("household.balance")}</p>
        <p class="welcome-balance">
          <Points value={h.balance} />
          <span class="welcome-unit">{t("app.unit")}</span>
        </p>
        <button type="button" class="btn btn-primary btn-hero" onClick={() => goTo("goods")}>
          <Icon name="basket" size={44} />
          <span>{t("household.next")}</span>
        </button>
      </div>
    </main>
  );
}
