import { useSignal } from "@preact/signals";
import { call, del, post } from "../api.ts";
import { me } from "../state/session.ts";
import { t } from "../i18n/index.ts";
import { becauseText, problemText } from "../logic/problems.ts";
import { Alert } from "./Alert.tsx";
import { Dialog } from "./Dialog.tsx";
import { TextField } from "./Field.tsx";
import { FormButtons } from "./FormButtons.tsx";

const PASSWORD_MIN = 10;
const PASSWORD_MAX = 128;

/**
 * One's own account: the password (the old one, the new one twice; the other devices are signed
 * out) and the PIN that signs one in at the supermarket's kiosk by its keypad.
 */
export function MyAccount({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title={t("account.title")} onClose={onClose} wide>
      {open ? (
        <div class="account">
          <ChangePassword onClose={onClose} />
          <KioskPin />
        </div>
      ) : null}
    </Dialog>
  );
}

function ChangePassword({ onClose }: { onClose: () => void }) {
  const old = useSignal("");
  const fresh = useSignal("");
  const again = useSignal("");
  const errors = useSignal<{ old?: string; fresh?: string; again?: string }>({});
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const busy = useSignal(false);
  const close = () => {
    old.value = fresh.value = again.value = "";
    errors.value = {};
    outcome.value = null;
    onClose();
  };
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: { old?: string; fresh?: string; again?: string } = {};
    if (old.value === "") errs.old = t("password.wrong");
    if (fresh.value.length < PASSWORD_MIN || fresh.value.length > PASSWORD_MAX)
      errs.fresh = t("users.errPassword", { min: PASSWORD_MIN });
    else if (again.value !== fresh.value) errs.again = t("users.errAgain");
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res = await post("/api/me/password", {
      oldPassword: old.value,
      newPassword: fresh.value,
    });
    busy.value = false;
    if (res.ok) {
      old.value = fresh.value = again.value = "";
      outcome.value = { tone: "ok", text: t("password.done") };
      return;
    }
    const wrong = res.error.kind === "problem" && res.error.code === "wrong-password";
    if (wrong) errors.value = { old: t("password.wrong") };
    outcome.value = {
      tone: "error",
      text: wrong ? t("password.wrong") : (becauseText(res.error) ?? problemText(res.error)),
    };
  };
  const e = errors.value;
  return (
    <section class="stack" aria-labelledby="pw-title">
      <h3 class="small-title" id="pw-title">
        {t("password.change")}
      </h3>
      <form class="stack" onSubmit={submit} noValidate>
        <TextField
          id="pw-old"
          label={t("password.old")}
          error={e.old}
          type="password"
          autocomplete="current-password"
          value={old.value}
          onValue={(v) => (old.value = v)}
        />
        <TextField
          id="pw-new"
          label={t("password.new")}
          error={e.fresh}
          hint={t("users.errPassword", { min: PASSWORD_MIN })}
          type="password"
          autocomplete="new-password"
          value={fresh.value}
          onValue={(v) => (fresh.value = v)}
        />
        <TextField
          id="pw-again"
          label={t("password.again")}
          error={e.again}
          type="password"
          autocomplete="new-password"
          value={again.value}
          onValue={(v) => (again.value = v)}
        />
        {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
        <FormButtons busy={busy.value} submit={t("password.change")} onCancel={close} />
      </form>
    </section>
  );
}

export const PIN_PATTERN = /^\d{4,6}$/;

/** A PIN is typed on a keypad, hidden, and never offered back by the browser. */
export const PIN_INPUT = {
  type: "password",
  inputMode: "numeric",
  autocomplete: "off",
  maxLength: 6,
} as const;

function KioskPin() {
  // Whether a PIN is set, as /api/me says (older servers do not say: then not set).
  const user = me.value;
  const hasPin = useSignal(
    user !== null && user !== undefined && "hasPin" in user && user.hasPin === true,
  );
  const password = useSignal("");
  const pin = useSignal("");
  const again = useSignal("");
  const errors = useSignal<{ password?: string; pin?: string; again?: string }>({});
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const busy = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: { password?: string; pin?: string; again?: string } = {};
    if (password.value === "") errs.password = t("password.wrong");
    if (!PIN_PATTERN.test(pin.value)) errs.pin = t("pin.errPin");
    else if (again.value !== pin.value) errs.again = t("pin.errAgain");
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res = await call("PUT", "/api/me/pin", {
      body: { pin: pin.value, password: password.value },
    });
    busy.value = false;
    if (res.ok) {
      password.value = pin.value = again.value = "";
      hasPin.value = true;
      outcome.value = { tone: "ok", text: t("pin.done") };
      return;
    }
    const wrong = res.error.kind === "problem" && res.error.code === "wrong-password";
    if (wrong) errors.value = { password: t("password.wrong") };
    outcome.value = {
      tone: "error",
      text: wrong ? t("password.wrong") : (becauseText(res.error) ?? problemText(res.error)),
    };
  };
  const clear = async () => {
    busy.value = true;
    const res = await del("/api/me/pin");
    busy.value = false;
    if (res.ok) hasPin.value = false;
    outcome.value = res.ok
      ? { tone: "ok", text: t("pin.cleared") }
      : { tone: "error", text: problemText(res.error) };
  };
  const e = errors.value;
  return (
    <section class="stack" aria-labelledby="pin-title">
      <h3 class="small-title" id="pin-title">
        {t("pin.title")}{" "}
        <span class={`tag ${hasPin.value ? "ok" : "muted"}`}>
          {hasPin.value ? t("pin.isSet") : t("pin.notSet")}
        </span>
      </h3>
      <p class="hint">{t("pin.explain")}</p>
      <form class="stack" onSubmit={submit} noValidate>
        <TextField
          id="pin-password"
          label={t("password.old")}
          error={e.password}
          type="password"
          autocomplete="current-password"
          value={password.value}
          onValue={(v) => (password.value = v)}
        />
        <div class="field-row">
          <TextField
            id="pin-new"
            label={t("pin.pin")}
            error={e.pin}
            {...PIN_INPUT}
            value={pin.value}
            onValue={(v) => (pin.value = v)}
          />
          <TextField
            id="pin-again"
            label={t("pin.again")}
            error={e.again}
            {...PIN_INPUT}
            value={again.value}
            onValue={(v) => (again.value = v)}
          />
        </div>
        {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
        <div class="button-row">
          <button type="submit" class="button primary" disabled={busy.value}>
            {busy.value ? t("common.working") : hasPin.value ? t("pin.change") : t("pin.set")}
          </button>
          {hasPin.value ? (
            <button
              type="button"
              class="button danger-outline"
              disabled={busy.value}
              onClick={() => void clear()}
            >
              {t("pin.clear")}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
