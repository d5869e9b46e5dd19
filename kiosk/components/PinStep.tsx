import { useSignal } from "@preact/signals";
import { Fragment } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n/index.ts";
import { cancelPin, enterPin } from "../state/actions.ts";
import { pinAsked } from "../state/store.ts";
import { Icon } from "./Icon.tsx";

const PIN_LENGTH_MIN = 4;
const PIN_LENGTH_MAX = 6;
const ROWS = [
  ["1", "2", "3"],
  ["4", "5", "6"],
  ["7", "8", "9"],
];

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
  const press = (d: string): void => {
    if (digits.value.length < PIN_LENGTH_MAX) digits.value += d;
  };
  const slots = Array.from({ length: Math.max(PIN_LENGTH_MIN, value.length) }, (_, i) => (i < value.length ? "•" : ""));

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
      <div class="keypad-keys" dir="ltr">
        {ROWS.map((row, r) => (
          <Fragment key={r}>
            {row.map((d) => (
              <button key={d} type="button" class="key" onClick={() => press(d)}>
                {d}
              </button>
            ))}
            {r === 0 && (
              <button type="button" class="key key-fn" onClick={() => (digits.value = digits.value.slice(0, -1))}>
                <Icon name="delete" size={32} />
                <span>{t("scan.keypadDelete")}</span>
              </button>
            )}
            {r === 1 && (
              <button type="button" class="key key-fn" onClick={() => (digits.value = "")}>
                {t("scan.keypadClear")}
              </button>
            )}
            {r === 2 && (
              <button type="button" class="key" onClick={() => press("0")}>
                0
              </button>
            )}
          </Fragment>
        ))}
      </div>
      <div class="row">
        <button type="button" class="btn btn-secondary" onClick={cancelPin}>
          <Icon name="back" />
          <span>{t("pin.cancel")}</span>
        </button>
        <button type="button" class="btn btn-primary btn-wide" disabled={value.length < PIN_LENGTH_MIN} onClick={() => enterPin(value, Date.now())}>
          <Icon name="check" />
          <span>{t("pin.ok")}</span>
        </button>
      </div>
    </dialog>
  );
}
