import { useSignal } from "@preact/signals";
import { Fragment } from "preact";
import { t, type MessageKey } from "../i18n/index.ts";
import { staffPinLogin, type PinLoginResult, type StaffName } from "../state/staff.ts";
import { Icon } from "./Icon.tsx";
import { Msg } from "./Msg.tsx";

const PIN_LENGTH_MIN = 4;
const PIN_LENGTH_MAX = 6;
const ROWS = [
  ["1", "2", "3"],
  ["4", "5", "6"],
  ["7", "8", "9"],
];

const RESULT_TEXT: Record<Exclude<PinLoginResult, "ok">, MessageKey> = {
  "wrong-pin": "staff.pinWrong",
  "rate-limited": "staff.rateLimited",
  failed: "staff.failed",
};

/** The staff member's kiosk PIN on big keys, shown as dots; 登录 once 4 digits are in. */
export function StaffPinPad({ who }: { who: StaffName }) {
  const digits = useSignal("");
  const error = useSignal<MessageKey | null>(null);
  const busy = useSignal(false);
  const value = digits.value;
  const press = (d: string): void => {
    if (digits.value.length < PIN_LENGTH_MAX) digits.value += d;
  };
  const submit = async (): Promise<void> => {
    if (busy.value || digits.value.length < PIN_LENGTH_MIN) return;
    busy.value = true;
    const result = await staffPinLogin(who.id, digits.value);
    busy.value = false;
    digits.value = "";
    error.value = result === "ok" ? null : RESULT_TEXT[result];
  };
  return (
    <section class="keypad staff-pin" aria-labelledby="staff-pin-title">
      <h2 id="staff-pin-title" class="keypad-title">
        <Icon name="lock" />
        <span>
          <Msg id="staff.pinFor" values={{ name: who.displayName }} />
        </span>
      </h2>
      <p class="keypad-hint">{t("staff.pinHint")}</p>
      <output class="keypad-display pin-display" dir="ltr" aria-label={t("staff.pinTitle")}>
        {Array.from({ length: PIN_LENGTH_MAX }, (_, i) => (
          <span key={i} class={i < value.length ? "slot" : "slot slot-empty"}>
            {i < value.length ? "•" : ""}
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
      {error.value !== null && (
        <p class="form-error" role="alert">
          <Icon name="lock" />
          <span>{t(error.value)}</span>
        </p>
      )}
      <button type="button" class="btn btn-primary btn-block" disabled={value.length < PIN_LENGTH_MIN || busy.value} onClick={() => void submit()}>
        <Icon name="staff" />
        <span>{t("staff.login")}</span>
      </button>
    </section>
  );
}
