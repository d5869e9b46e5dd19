import { t } from "../i18n/index.ts";
import { online } from "../state/store.ts";
import { Icon } from "./Icon.tsx";

/** Stands at the top for as long as /healthz fails; the words say what it means for the villager. */
export function OfflineBanner() {
  if (online.value) return null;
  return (
    <div class="offline-banner" role="alert">
      <Icon name="offline" />
      <span>{t("offline.banner")}</span>
    </div>
  );
}
