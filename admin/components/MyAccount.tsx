import { useSignal } from "@preact/signals";
import { post } from "../api.ts";
import { t } from "../i18n/index.ts";
import { becauseText, problemText } from "../logic/problems.ts";
import { Alert } from "./Alert.tsx";
import { Dialog } from "./Dialog.tsx";
import { describedBy, Field } from "./Field.tsx";
import { FormButtons } from "./FormButtons.tsx";

const PASSWORD_MIN = 10;
const PASSWORD_MAX = 128;

/** Change one's own password: the old one, the new one twice. The other devices are signed out. */
export function ChangePassword({ open, onClose }: { open: boolean; onClose: () => void }) {
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
    if (fresh.value.length < PASSWORD_MIN || fresh.value.length > PASSWORD_MAX) errs.fresh = t("users.errPassword", { min: PASSWORD_MIN });
    else if (again.value !== fresh.value) errs.again = t("users.errAgain");
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res = await post("/api/me/password", { oldPassword: old.value, newPassword: fresh.value });
    busy.value = false;
    if (res.ok) {
      old.value = fresh.value = again.value = "";
      outcome.value = { tone: "ok", text: t("password.done") };
      return;
    }
    const wrong = res.error.kind === "problem" && res.error.code === "wrong-password";
    if (wrong) errors.value = { old: t("password.wrong") };
    outcome.value = { tone: "error", text: wrong ? t("password.wrong") : (becauseText(res.error) ?? problemText(res.error)) };
  };
  const e = errors.value;
  return (
    <Dialog open={open} title={t("password.change")} onClose={close}>
      <form class="stack" onSubmit={submit} noValidate>
        <Field id="pw-old" label={t("password.old")} error={e.old}>
          <input id="pw-old" type="password" autocomplete="current-password" value={old.value} onInput={(ev) => (old.value = (ev.target as HTMLInputElement).value)} {...describedBy("pw-old", e.old)} />
        </Field>
        <Field id="pw-new" label={t("password.new")} error={e.fresh} hint={t("users.errPassword", { min: PASSWORD_MIN })}>
          <input id="pw-new" type="password" autocomplete="new-password" value={fresh.value} onInput={(ev) => (fresh.value = (ev.target as HTMLInputElement).value)} {...describedBy("pw-new", e.fresh, true)} />
        </Field>
        <Field id="pw-again" label={t("password.again")} error={e.again}>
          <input id="pw-again" type="password" autocomplete="new-password" value={again.value} onInput={(ev) => (again.value = (ev.target as HTMLInputElement).value)} {...describedBy("pw-again", e.again)} />
        </Field>
        {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
        <FormButtons busy={busy.value} submit={t("password.change")} onCancel={close} />
      </form>
    </Dialog>
  );
}
