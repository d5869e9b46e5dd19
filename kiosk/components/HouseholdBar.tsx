import { t } from "../i18n/index.ts";
import { balanceAfter, household, totalPoints } from "../state/store.ts";
import { Points } from "./Points.tsx";
import { HonourLine } from "./HouseholdScreen.tsx";

/** Whose visit this is, on the goods and review screens: masked name and honour score, balance, and what is left. */
export function HouseholdBar() {
  const h = household.value;
  if (h === null) return null;
  return (
    <div class="household-bar">
      <div class="hb-who">
        <span class="hb-label">{t("household.greeting")}</span>
        <bdi class="hb-name">{h.displayName}</bdi>
        <HonourLine honourScore={h.honourScore ?? null} star={h.star ?? null} compact />
      </div>
      <dl class="hb-figures">
        <div>
          <dt>{t("review.balanceNow")}</dt>
          <dd>
            <Points value={h.balance} />
          </dd>
        </div>
        <div>
          <dt>{t("goods.total")}</dt>
          <dd>
            <Points value={totalPoints.value} />
          </dd>
        </div>
        <div class="hb-after">
          <dt>{t("goods.left")}</dt>
          <dd>
            <Points value={balanceAfter.value} />
          </dd>
        </div>
      </dl>
    </div>
  );
}
