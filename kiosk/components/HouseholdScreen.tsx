import { t } from "../i18n/index.ts";
import { goTo, resetVisit } from "../state/actions.ts";
import { household, marketClosed, staffUser } from "../state/store.ts";
import { ClosedNotice } from "./ClosedNotice.tsx";
import { SuspendedNotice } from "./SuspendedNotice.tsx";
import { Icon } from "./Icon.tsx";
import { Msg } from "./Msg.tsx";
import { Points } from "./Points.tsx";

/**
 * Right after the card is read: who, and how many points they can spend, as large as the screen
 * allows; under it, smaller, the honour score (荣誉积分: what was earned, which spending never
 * lowers) and its stars, in plain words for an elderly reader.
 */
export function HouseholdScreen() {
  const h = household.value;
  if (h === null) return null;
  return (
    <main class="screen household-screen">
      <div
        class={
          h.suspendedUntil || (marketClosed.value && staffUser.value === null)
            ? "welcome-card stopped"
            : "welcome-card"
        }
      >
        {/* Who and how much: one block, so a landscape screen can set a suspension notice beside it. */}
        <div class="welcome-head">
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
          <HonourLine honourScore={h.honourScore ?? null} star={h.star ?? null} />
        </div>
        {/* Issue 18: a suspended household, or a closed supermarket, is told so before any goods. */}
        {h.suspendedUntil ? (
          <SuspendedNotice until={h.suspendedUntil} rule={h.suspendedRule ?? null} />
        ) : marketClosed.value && staffUser.value === null ? (
          <>
            <ClosedNotice compact />
            <button type="button" class="btn btn-secondary btn-hero" onClick={resetVisit}>
              <Icon name="check" size={44} />
              <span>{t("suspended.ok")}</span>
            </button>
          </>
        ) : (
          <button type="button" class="btn btn-primary btn-hero" onClick={() => goTo("goods")}>
            <Icon name="basket" size={44} />
            <span>{t("household.next")}</span>
          </button>
        )}
      </div>
    </main>
  );
}

/** The honour score and its stars, one line, smaller than the balance; nothing when not known. */
export function HonourLine({
  honourScore,
  star,
  compact = false,
}: {
  honourScore: number | null;
  star: number | null;
  compact?: boolean;
}) {
  if (honourScore === null) return null;
  return (
    <p class={compact ? "honour-line compact" : "honour-line"}>
      <span class="honour-label">{t("household.honour")}</span>{" "}
      <Points value={honourScore} class="honour-value" />
      {star !== null && star > 0 ? (
        <span class="honour-stars">
          <span aria-hidden="true">{"★".repeat(star)}</span>{" "}
          <Msg id="household.stars" values={{ stars: star }} />
        </span>
      ) : null}
      {compact ? null : <span class="honour-about">{t("household.honourAbout")}</span>}
    </p>
  );
}
