// A failed call in words a committee member understands, from the catalog. The server's own
// detail (in English, for developers and scripts) is kept for the "details" line.
import type { ApiError } from "../api.ts";
import { CATALOGS, lang, t, type MessageKey } from "../i18n/index.ts";

/** The page's own words for a refusal the server explained with a code, or null. */
export function becauseText(error: ApiError): string | null {
  if (error.kind !== "problem" || error.code === null) return null;
  const key = `because.${error.code}`;
  return key in CATALOGS[lang.value] ? t(key as MessageKey, error.params) : null;
}

export function problemText(error: ApiError): string {
  if (error.kind === "network") return t("problem.network");
  if (error.kind === "timeout") return t("problem.timeout");
  const because = becauseText(error);
  if (because !== null) return because;
  switch (error.status) {
    case 400:
      return t("problem.validation");
    case 401:
      return t("problem.unauthenticated");
    case 403:
      return t("problem.forbidden");
    case 404:
      return t("problem.notFound");
    case 409:
      return error.slug === "conflict" ? t("problem.conflict") : t("problem.state");
    case 413:
      return t("problem.tooLarge");
    case 415:
      return t("problem.mediaType");
    case 422:
      return t("problem.keyReused");
    case 429:
      return t("problem.rateLimited", { seconds: error.retryAfterS ?? 60 });
    default:
      return t("problem.server");
  }
}

/** The server's own words about a refusal, shown small under the plain message. */
export function problemDetail(error: ApiError): string {
  return error.kind === "problem" ? error.detail : "";
}

/** No answer came: the request may or may not have been carried out, so a retry must reuse its key. */
export function answerLost(error: ApiError): boolean {
  return (
    error.kind === "network" ||
    error.kind === "timeout" ||
    (error.kind === "problem" && error.status >= 500)
  );
}
