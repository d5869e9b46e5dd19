import { useSignal } from "@preact/signals";
import { t } from "../i18n/index.ts";
import { CARD_NUMBER_LENGTH } from "../logic/scan-text.ts";
import { onScan } from "../state/actions.ts";
import { scanStatus } from "../state/store.ts";
import { Icon } from "./Icon.tsx";
import { KeypadKeys } from "./KeypadKeys.tsx";

/** The fallback for a worn card: the printed 8-digit number on big keys. `alone`: no camera beside it. */
export function NumberPad({ alone = false }: { alone?: boolean }) {
  const digits = useSignal("");
  const value = digits.value;
  const full = value.length === CARD_NUMBER_LENGTH;
  const slots = Array.from({ length: CARD_NUMBER_LENGTH }, (_, i) => value[i] ?? "");

  return (
    <section class="keypad" aria-labelledby="keypad-title">
      <h2 id="keypad-title" class="keypad-title">
        <Icon name="keypad" />
        <span>{t(alone ? "scan.keypadHint" : "scan.keypadTitle")}</span>
      </h2>
      <output
        class="keypad-display"
        dir="ltr"
        aria-label={t("scan.keypadHint")}
        title={t("scan.keypadHint")}
      >
        {slots.map((d, i) => (
          <span key={i} class={d === "" ? "slot slot-empty" : "slot"}>
            {d}
          </span>
        ))}
      </output>
      <KeypadKeys digits={digits} max={CARD_NUMBER_LENGTH} />
      <button
        type="button"
        class="btn btn-primary btn-block"
        disabled={!full || scanStatus.value === "looking"}
        onClick={() => {
          onScan(value, Date.now());
          digits.value = "";
        }}
      >
        <Icon name="check" />
        <span>{t("scan.keypadOk")}</span>
      </button>
    </section>
  );
}
