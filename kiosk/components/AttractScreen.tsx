import { t, type MessageKey } from "../i18n/index.ts";
import { goTo, openKeypad } from "../state/actions.ts";
import { marketClosed, scanStatus, staffUser } from "../state/store.ts";
import { CardArt } from "./CardArt.tsx";
import { ClosedNotice } from "./ClosedNotice.tsx";
import { Icon, type IconName } from "./Icon.tsx";

const STEPS: { icon: IconName; label: MessageKey }[] = [
  { icon: "card", label: "attract.step1" },
  { icon: "basket", label: "attract.step2" },
  { icon: "check", label: "attract.step3" },
];

/** The resting screen: what this is, how to begin, and the scanner is already listening. */
export function AttractScreen() {
  const closedNow = marketClosed.value && staffUser.value === null;
  return (
    <main class="screen attract-screen">
      <section class="attract-hero">
        <h1 class="attract-title">{t("attract.title")}</h1>
        <p class="attract-lead">{t("attract.lead")}</p>
        {/* Closed now (issue 18): when it opens next takes the place of the steps. */}
        {closedNow ? (
          <ClosedNotice compact />
        ) : (
          <ol class="steps">
            {STEPS.map((s, i) => (
              <li key={s.label} class="step">
                <span class="step-no num" aria-hidden="true">
                  {i + 1}
                </span>
                <Icon name={s.icon} size={40} />
                <span>{t(s.label)}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section class="attract-action">
        <CardArt />
        <p class="attract-how">{t("attract.howScan")}</p>
        {scanStatus.value === "looking" && (
          <p class="attract-looking" role="status">
            <span class="spinner spinner-small" aria-hidden="true" />
            <span>{t("scan.looking")}</span>
          </p>
        )}
        <button type="button" class="btn btn-primary btn-hero" onClick={() => goTo("scan")}>
          <Icon name="card" size={44} />
          <span>{t("attract.start")}</span>
        </button>
        <button type="button" class="btn btn-quiet attract-hint" onClick={openKeypad}>
          <Icon name="keypad" />
          <span>{t("attract.startHint")}</span>
        </button>
      </section>
    </main>
  );
}
