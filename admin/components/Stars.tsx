import { t } from "../i18n/index.ts";

/** A household's star tier (issue 18) in glyphs, with its words for a screen reader; nothing where the village rates no stars. */
export function Stars({ star }: { star: number | null }) {
  if (star === null) return null;
  if (star === 0) return <span class="tag">{t("household.noStars")}</span>;
  return (
    <span class="stars household-stars" role="img" aria-label={t("household.stars", { stars: star })}>
      {"★".repeat(star)}
    </span>
  );
}
