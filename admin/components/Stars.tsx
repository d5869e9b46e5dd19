import { t } from "../i18n/index.ts";

/**
 * A household's star tier (issue 18) in glyphs, with its words for a screen reader; nothing where
 * the village rates no stars. No star yet says so in words where `none` asks (a household's page;
 * a list leaves the cell quiet).
 */
export function Stars({ star, none = false }: { star: number | null; none?: boolean }) {
  if (star === null) return null;
  if (star === 0) return none ? <span class="tag">{t("household.noStars")}</span> : null;
  return (
    <span
      class="stars household-stars"
      role="img"
      aria-label={t("household.stars", { stars: star })}
    >
      {"★".repeat(star)}
    </span>
  );
}
