import type { Signal } from "@preact/signals";
import { Fragment } from "preact";
import { t } from "../i18n/index.ts";
import { Icon } from "./Icon.tsx";

const ROWS = [
  ["1", "2", "3"],
  ["4", "5", "6"],
  ["7", "8", "9"],
];

/**
 * The big keys of every number pad on the kiosk (the card number, the household's PIN, a staff
 * PIN): 1-9 and 0, delete one, clear all. Types into `digits`, at most `max` of them.
 */
export function KeypadKeys({ digits, max }: { digits: Signal<string>; max: number }) {
  const press = (d: string): void => {
    if (digits.value.length < max) digits.value += d;
  };
  return (
    <div class="keypad-keys" dir="ltr">
      {ROWS.map((row, r) => (
        <Fragment key={r}>
          {row.map((d) => (
            <button key={d} type="button" class="key" onClick={() => press(d)}>
              {d}
            </button>
          ))}
          {r === 0 && (
            <button
              type="button"
              class="key key-fn"
              onClick={() => (digits.value = digits.value.slice(0, -1))}
            >
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
  );
}
