import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { post, type ApiError } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { ADMIN_LANGS, CATALOGS, lang, setLang, t } from "../i18n/index.ts";
import { signedIn, signInReason } from "../state/session.ts";
import type { User } from "../types.ts";

function loginError(error: ApiError): string {
  if (error.kind === "network") return t("problem.network");
  if (error.kind === "timeout") return t("problem.timeout");
  if (error.status === 401) return t("login.wrong");
  if (error.status === 429)
    return t("login.locked", { minutes: Math.max(1, Math.ceil((error.retryAfterS ?? 900) / 60)) });
  if (error.status === 400) return t("login.missing");
  return t("problem.server");
}

/** Sign-in: two labelled fields and one button; a refusal is said in words beside the form. */
export function LoginPage() {
  const username = useSignal("");
  const password = useSignal("");
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const reason = signInReason.value;

  useEffect(() => {
    document.title = `${t("login.title")} · ${t("app.name")}`;
    first.current?.focus();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    if (username.value.trim() === "" || password.value === "") {
      error.value = t("login.missing");
      return;
    }
    busy.value = true;
    error.value = null;
    const res = await post<{ user: User }>("/api/auth/login", {
      username: username.value.trim(),
      password: password.value,
    });
    busy.value = false;
    if (!res.ok) {
      error.value = loginError(res.error);
      password.value = "";
      return;
    }
    // The shell moves on to the address in ?next= once it sees who is signed in.
    await signedIn(res.data.user);
  };

  return (
    <div class="login-screen">
      <main class="login-card" id="main">
        <div class="login-brand">
          <span class="brand-mark big" aria-hidden="true">
            积
          </span>
          <div>
            <h1>{t("app.name")}</h1>
            <p class="lead">{t("login.lead")}</p>
          </div>
        </div>
        {reason === "expired" ? <Alert tone="warn">{t("login.expired")}</Alert> : null}
        {reason === "signed-out" ? <Alert tone="ok">{t("login.signedOut")}</Alert> : null}
        <form
          class="login-form"
          onSubmit={submit}
          noValidate
          aria-describedby={error.value ? "login-error" : undefined}
        >
          <div class="field">
            <label for="login-username">{t("login.username")}</label>
            <input
              ref={first}
              id="login-username"
              name="username"
              autocomplete="username"
              autocapitalize="off"
              spellcheck={false}
              value={username.value}
              onInput={(e) => (username.value = (e.target as HTMLInputElement).value)}
              aria-invalid={error.value ? "true" : undefined}
            />
          </div>
          <div class="field">
            <label for="login-password">{t("login.password")}</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autocomplete="current-password"
              value={password.value}
              onInput={(e) => (password.value = (e.target as HTMLInputElement).value)}
              aria-invalid={error.value ? "true" : undefined}
            />
          </div>
          {error.value ? (
            <p class="form-error" id="login-error" role="alert">
              {error.value}
            </p>
          ) : null}
          <button type="submit" class="button primary block" disabled={busy.value}>
            {busy.value ? t("login.busy") : t("login.submit")}
          </button>
        </form>
        <div class="login-foot">
          <label class="lang-switch">
            <span>{t("shell.language")}</span>
            <select
              value={lang.value}
              onChange={(e) => setLang((e.target as HTMLSelectElement).value as typeof lang.value)}
            >
              {ADMIN_LANGS.map((l) => (
                <option key={l} value={l} lang={l}>
                  {CATALOGS[l]["lang.name"]}
                </option>
              ))}
            </select>
          </label>
          <p class="hint">{t("login.help")}</p>
        </div>
      </main>
    </div>
  );
}
