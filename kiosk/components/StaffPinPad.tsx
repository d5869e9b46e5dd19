import { useSignal } from "@preact/signals";
import { t, type MessageKey } from "../i18n/index.ts";
import { staffPinLogin, type PinLoginResult, type StaffName } from "../state/staff.ts";
import { Icon } from "./Icon.tsx";
import { KeypadKeys } from "./KeypadKeys.tsx";
import { Msg } from "./Msg.tsx";

const PIN_LENGTH_MIN = 4;
const PIN_LENGTH_MAX = 6;

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
      <KeypadKeys digits={digits} max={PIN_LENGTH_MAX} />
      {error.value !== null && (
        <p class="form-error" role="alert">
          <Icon name="lock" />
          <span>{t(error.value)}</span>
        </p>
      )}
      <button
        type="button"
        class="btn btn-primary btn-block"
        disabled={value.length < PIN_LENGTH_MIN || busy.value}
        onClick={() => void submit()}
      >
        <Icon name="staff" />
        <span>{t("staff.login")}</span>
      </button>
    </section>
  );
}
