import { lang, t } from "../i18n/index.ts";
import { formatBeijingTime } from "../logic/when.ts";
import { market, marketClosed, staffUser } from "../state/store.ts";
import { Icon } from "./Icon.tsx";
import { Msg } from "./Msg.tsx";

/**
 * The supermarket is closed now (the village's opening days and hours, issue 18): when it opens
 * next, in plain words. Nothing while it is open, or while a staff member signed in on this kiosk
 * has opened it for a sale.
 */
export function ClosedNotice({ compact = false }: { compact?: boolean }) {
  if (!marketClosed.value || staffUser.value !== null) return null;
  const opensAt = market.value?.opensAt ?? null;
  return (
    <section
      class={`stop-notice closed-notice${compact ? " compact" : ""}`}
      role="status"
      aria-labelledby="closed-title"
    >
      <span class="stop-icon" aria-hidden="true">
        <Icon name="clock" size={compact ? 40 : 56} />
      </span>
      <h2 id="closed-title">{t("closed.title")}</h2>
      {opensAt !== null ? (
        <p class="stop-when">
          <Msg id="closed.next" values={{ when: formatBeijingTime(opensAt, lang.value) }} />
        </p>
      ) : null}
      <p class="stop-ask">{t("closed.help")}</p>
    </section>
  );
}
