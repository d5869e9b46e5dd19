import { lang, t } from "../i18n/index.ts";
import { formatBeijingDay } from "../logic/when.ts";
import { resetVisit } from "../state/actions.ts";
import { Icon } from "./Icon.tsx";
import { Msg } from "./Msg.tsx";

/**
 * The household's redemptions are suspended (一票否决, issue 18): said kindly and plainly for an
 * elderly reader, before any goods are chosen: why, from which day it may redeem again, that its
 * points stay on the card, and whom to ask.
 */
export function SuspendedNotice({ until, rule }: { until: string; rule: string | null }) {
  return (
    <section class="stop-notice suspended-notice" role="status" aria-labelledby="suspended-title">
      <span class="stop-icon" aria-hidden="true">
        <Icon name="clock" size={56} />
      </span>
      <h2 id="suspended-title">{t("suspended.title")}</h2>
      {rule !== null && rule !== "" ? (
        <p>
          <Msg id="suspended.reason" values={{ rule }} />
        </p>
      ) : null}
      <p class="stop-when">
        <Msg id="suspended.until" values={{ until: formatBeijingDay(until, lang.value) }} />
      </p>
      <p>{t("suspended.points")}</p>
      <p class="stop-ask">{t("suspended.ask")}</p>
      <button type="button" class="btn btn-primary btn-hero" onClick={resetVisit}>
        <Icon name="check" size={44} />
        <span>{t("suspended.ok")}</span>
      </button>
    </section>
  );
}
