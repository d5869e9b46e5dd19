import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n/index.ts";
import { cancelPin, enterPin } from "../state/actions.ts";
import { pinAsked } from "../state/store.ts";
import { Icon } from "./Icon.tsx";
import { KeypadKeys } from "./KeypadKeys.tsx";

const PIN_LENGTH_MIN = 4;
const PIN_LENGTH_MAX = 6;

/**
 * The household's PIN, asked on the number pad before a sale whose card was typed as its number,
 * where the village requires it (the card read says `pinRequired`). A modal dialog over the review
 * screen; the digits show as dots and live only in memory, never in the kiosk's storage.
 */
export function PinStep() {
  const ref = useRef<HTMLDialogElement>(null);
  const digits = useSignal("");
  const open = pinAsked.value;

  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (open && !d.open) {
      digits.value = "";
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);

  const value = digits.value;
  const slots = Array.from({ length: Math.max(PIN_LENGTH_MIN, value.length) }, (_, i) =>
    i < value.length ? "•" : "",
  );

  return (
    <dialog
      ref={ref}
      class="pin-dialog keypad"
      aria-labelledby="pin-title"
      onCancel={(e) => {
        e.preventDefault();
        cancelPin();
      }}
    >
      <h2 id="pin-title" class="keypad-title">
        <Icon name="lock" />
        <span>{t("pin.title")}</span>
      </h2>
      <p class="keypad-hint">{t("pin.hint")}</p>
      <output class="keypad-display" dir="ltr" aria-label={t("pin.title")}>
        {slots.map((d, i) => (
          <span key={i} class={d === "" ? "slot slot-empty" : "slot"}>
            {d}
          </span>
        ))}
      </output>
      <KeypadKeys digits={digits} max={PIN_LENGTH_MAX} />
      <div class="row">
        <button type="button" class="btn btn-secondary" onClick={cancelPin}>
          <Icon name="back" />
          <span>{t("pin.cancel")}</span>
        </button>
        <button
          type="button"
          class="btn btn-primary btn-wide"
          disabled={value.length < PIN_LENGTH_MIN}
          onClick={() => enterPin(value, Date.now())}
        >
          <Icon name="check" />
          <span>{t("pin.ok")}</span>
        </button>
      </div>
    </dialog>
  );
}
