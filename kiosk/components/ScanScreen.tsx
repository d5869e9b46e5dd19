import { t, type MessageKey } from "../i18n/index.ts";
import { goTo } from "../state/actions.ts";
import { scanKeypadOnly, scanStatus, type ScanStatus } from "../state/store.ts";
import { CameraView } from "./CameraView.tsx";
import { Icon } from "./Icon.tsx";
import { NumberPad } from "./NumberPad.tsx";

const STATUS_TEXT: Record<Exclude<ScanStatus, "idle">, MessageKey> = {
  looking: "scan.looking",
  "not-found": "scan.notFound",
  "not-a-card": "scan.notACard",
  network: "scan.networkError",
  "too-many": "scan.tooMany",
};

/**
 * Reading a card: the camera beside the number pad, or (from the attract screen's "no card?"
 * button) the number pad alone, without asking for the camera. A scanner's burst reads either way.
 */
export function ScanScreen() {
  const status = scanStatus.value;
  const keypadOnly = scanKeypadOnly.value;
  return (
    <main class={`screen scan-screen${keypadOnly ? " scan-screen-keypad" : ""}`}>
      <div class="screen-head">
        <button type="button" class="btn btn-secondary" onClick={() => goTo("attract")}>
          <Icon name="back" />
          <span>{t("common.back")}</span>
        </button>
        <h1>{t(keypadOnly ? "scan.keypadScreenTitle" : "scan.title")}</h1>
        <div
          class={`scan-status${status === "idle" ? "" : ` scan-status-${status}`}`}
          role="status"
          aria-live="polite"
        >
          {status !== "idle" && (
            <>
              {status === "looking" ? (
                <span class="spinner spinner-small" aria-hidden="true" />
              ) : (
                <Icon name="card" />
              )}
              <span>{t(STATUS_TEXT[status])}</span>
            </>
          )}
        </div>
      </div>
      <div class="scan-body">
        {!keypadOnly && <CameraView />}
        <NumberPad alone={keypadOnly} />
      </div>
    </main>
  );
}
