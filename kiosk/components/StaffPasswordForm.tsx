import { useSignal } from "@preact/signals";
import { t, type MessageKey } from "../i18n/index.ts";
import { staffLogin } from "../state/actions.ts";
import { Icon } from "./Icon.tsx";

const RESULT_TEXT: Partial<Record<string, MessageKey>> = {
  "bad-login": "staff.loginFailed",
  "rate-limited": "staff.rateLimited",
  failed: "staff.failed",
};

/**
 * Username and password, for staff without a kiosk PIN (with the shop's keyboard or the system's
 * on-screen one). `pinNames`: some staff have a PIN, so the way back to the names is offered.
 */
export function StaffPasswordForm({ pinNames, onPin }: { pinNames: boolean; onPin: () => void }) {
  const username = useSignal("");
  const password = useSignal("");
  const error = useSignal<MessageKey | null>(null);
  const busy = useSignal(false);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy.value) return;
    busy.value = true;
    const result = await staffLogin(username.value.trim(), password.value);
    busy.value = false;
    password.value = "";
    error.value = result === "ok" ? null : (RESULT_TEXT[result] ?? "staff.failed");
  };

  return (
    <form class="staff-form" onSubmit={(e) => void submit(e)}>
      {!pinNames && <p class="staff-note">{t("staff.noPins")}</p>}
      <label class="field">
        <span>{t("staff.username")}</span>
        <input
          name="username"
          autocomplete="username"
          autocapitalize="off"
          spellcheck={false}
          value={username.value}
          onInput={(e) => (username.value = e.currentTarget.value)}
          required
        />
      </label>
      <label class="field">
        <span>{t("staff.password")}</span>
        <input
          name="password"
          type="password"
          autocomplete="current-password"
          value={password.value}
          onInput={(e) => (password.value = e.currentTarget.value)}
          required
        />
      </label>
      {error.value !== null && (
        <p class="form-error" role="alert">
          <Icon name="lock" />
          <span>{t(error.value)}</span>
        </p>
      )}
      <button type="submit" class="btn btn-primary btn-block" disabled={busy.value}>
        <Icon name="staff" />
        <span>{t("staff.login")}</span>
      </button>
      {pinNames && (
        <button type="button" class="btn btn-quiet btn-block" onClick={onPin}>
          <Icon name="staff" />
          <span>{t("staff.usePin")}</span>
        </button>
      )}
    </form>
  );
}
