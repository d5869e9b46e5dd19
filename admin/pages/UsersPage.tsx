import { useSignal } from "@preact/signals";
import { fieldErrors, get, patch, post } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { Field, TextField } from "../components/Field.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { SettingsNav } from "../components/SettingsNav.tsx";
import { lang, t, tKnown } from "../i18n/index.ts";
import { formatTime } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { becauseText, problemDetail, problemText } from "../logic/problems.ts";
import { me, villageId, villages } from "../state/session.ts";
import type { Role, StaffUser } from "../types.ts";
import { FormButtons } from "../components/FormButtons.tsx";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

type Editing =
  | { kind: "add" }
  | { kind: "edit"; user: StaffUser }
  | { kind: "password"; user: StaffUser }
  | null;

/** Staff accounts: add, change name and role, reset a password, disable (which ends their sessions). */
export default function UsersPage() {
  const [users, reload] = useLoad(() => get<{ items: StaffUser[] }>("/api/users"), []);
  const editing = useSignal<Editing>(null);
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const township = me.value?.role === "township_admin";
  const vid = villageId.value;
  const list =
    users.value.state === "ok"
      ? users.value.data.items.filter(
          (u) => !township || u.villageId === vid || u.villageId === null,
        )
      : [];
  const villageName = (id: string | null) =>
    id === null ? t("users.wholeTownship") : (villages.value.find((v) => v.id === id)?.name ?? id);

  const setDisabled = async (u: StaffUser, disabled: boolean) => {
    const res = await patch(`/api/users/${u.id}`, { disabled });
    outcome.value = res.ok
      ? {
          tone: "ok",
          text: t(disabled ? "users.disabledDone" : "users.enabledDone", {
            name: u.displayName ?? u.username,
          }),
        }
      : {
          tone: "error",
          text: becauseText(res.error) ?? `${problemText(res.error)} ${problemDetail(res.error)}`,
        };
    reload();
  };
  const done = (text: string) => {
    editing.value = null;
    outcome.value = { tone: "ok", text };
    reload();
  };

  return (
    <section class="page users">
      <PageHeader
        title={t("nav.settings")}
        lead={t("users.lead")}
        actions={
          <button
            type="button"
            class="button primary"
            onClick={() => (editing.value = { kind: "add" })}
          >
            <Icon name="plus" />
            {t("users.add")}
          </button>
        }
      />
      <SettingsNav />
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {users.value.state === "loading" ? <Loading /> : null}
      {users.value.state === "error" ? (
        <Alert tone="error">{problemText(users.value.error)}</Alert>
      ) : null}
      {list.length > 0 ? (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("users.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("users.name")}</th>
                <th scope="col">{t("users.username")}</th>
                <th scope="col">{t("users.role")}</th>
                {township ? <th scope="col">{t("shell.village")}</th> : null}
                <th scope="col">{t("users.status")}</th>
                <th scope="col">{t("users.lastSignIn")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => {
                const self = u.id === me.value?.id;
                const name = u.displayName ?? u.username;
                return (
                  <tr key={u.id} class={u.disabled ? "muted-row" : undefined}>
                    <td>
                      <bdi>{name}</bdi>
                      {self ? <span class="tag info">{t("users.you")}</span> : null}
                    </td>
                    <td class="mono">{u.username}</td>
                    <td>{tKnown("role", u.role)}</td>
                    {township ? <td>{villageName(u.villageId)}</td> : null}
                    <td>
                      {u.disabled ? (
                        <span class="tag muted">{t("users.disabled")}</span>
                      ) : (
                        <span class="tag ok">{t("users.active")}</span>
                      )}
                    </td>
                    <td>
                      {u.lastSignInAt ? formatTime(u.lastSignInAt, lang.value) : t("users.never")}
                    </td>
                    <td class="row-actions">
                      {!self ? (
                        <>
                          <button
                            type="button"
                            class="button small"
                            onClick={() => (editing.value = { kind: "edit", user: u })}
                            aria-label={t("users.editOne", { name })}
                          >
                            {t("users.edit")}
                          </button>
                          <button
                            type="button"
                            class="button small"
                            onClick={() => (editing.value = { kind: "password", user: u })}
                            aria-label={t("users.resetOne", { name })}
                          >
                            {t("users.reset")}
                          </button>
                          <button
                            type="button"
                            class={`button small${u.disabled ? "" : " danger-outline"}`}
                            onClick={() => void setDisabled(u, !u.disabled)}
                            aria-label={t(u.disabled ? "users.enableOne" : "users.disableOne", {
                              name,
                            })}
                          >
                            {u.disabled ? t("users.enable") : t("users.disable")}
                          </button>
                        </>
                      ) : (
                        <span class="hint">{t("users.selfHint")}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <Dialog
        open={editing.value !== null}
        title={
          editing.value?.kind === "add"
            ? t("users.add")
            : editing.value?.kind === "edit"
              ? t("users.edit")
              : t("users.reset")
        }
        onClose={() => (editing.value = null)}
      >
        {editing.value?.kind === "add" ? (
          <UserForm user={null} onDone={done} onCancel={() => (editing.value = null)} />
        ) : null}
        {editing.value?.kind === "edit" ? (
          <UserForm
            user={editing.value.user}
            onDone={done}
            onCancel={() => (editing.value = null)}
          />
        ) : null}
        {editing.value?.kind === "password" ? (
          <ResetForm
            user={editing.value.user}
            onDone={done}
            onCancel={() => (editing.value = null)}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

type Errors = Partial<Record<"username" | "displayName" | "password" | "villageId", string>>;

function UserForm({
  user,
  onDone,
  onCancel,
}: {
  user: StaffUser | null;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const township = me.value?.role === "township_admin";
  const username = useSignal(user?.username ?? "");
  const displayName = useSignal(user?.displayName ?? "");
  const role = useSignal<Role>(user?.role ?? "clerk");
  const village = useSignal(user?.villageId ?? villageId.value ?? "");
  const password = useSignal("");
  const errors = useSignal<Errors>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const roles: Role[] = township
    ? ["clerk", "village_admin", "township_admin"]
    : ["clerk", "village_admin"];

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: Errors = {};
    if (user === null && !/^[A-Za-z0-9_.-]{2,40}$/.test(username.value.trim()))
      errs.username = t("users.errUsername");
    if (displayName.value.trim() === "") errs.displayName = t("users.errName");
    if (
      user === null &&
      (password.value.length < PASSWORD_MIN || password.value.length > PASSWORD_MAX)
    )
      errs.password = t("users.errPassword", { min: PASSWORD_MIN });
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res =
      user === null
        ? await post("/api/users", {
            username: username.value.trim(),
            displayName: displayName.value.trim(),
            password: password.value,
            role: role.value,
            ...(role.value === "township_admin" ? {} : { villageId: village.value }),
          })
        : await patch(`/api/users/${user.id}`, {
            displayName: displayName.value.trim(),
            ...(role.value !== user.role ? { role: role.value } : {}),
          });
    busy.value = false;
    if (res.ok) {
      onDone(
        t(user === null ? "users.added" : "users.changed", { name: displayName.value.trim() }),
      );
      return;
    }
    const f = fieldErrors(res.error);
    errors.value = {
      ...(f["username"] ? { username: t("users.errUsername") } : {}),
      ...(f["password"] ? { password: t("users.errPassword", { min: PASSWORD_MIN }) } : {}),
      ...(f["displayName"] ? { displayName: t("users.errName") } : {}),
    };
    const taken = res.error.kind === "problem" && res.error.status === 409;
    failure.value = taken
      ? t("users.taken", { username: username.value.trim() })
      : (becauseText(res.error) ?? `${problemText(res.error)} ${problemDetail(res.error)}`);
  };
  const e = errors.value;
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <TextField
        id="user-name"
        label={t("users.name")}
        error={e.displayName}
        maxLength={40}
        value={displayName.value}
        onValue={(v) => (displayName.value = v)}
      />
      <TextField
        id="user-username"
        label={t("users.username")}
        error={e.username}
        hint={t("users.usernameHint")}
        maxLength={40}
        autocapitalize="off"
        spellcheck={false}
        disabled={user !== null}
        value={username.value}
        onValue={(v) => (username.value = v)}
      />
      <div class="field-row">
        <Field id="user-role" label={t("users.role")}>
          <select
            id="user-role"
            value={role.value}
            onChange={(ev) => (role.value = (ev.target as HTMLSelectElement).value as Role)}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {tKnown("role", r)}
              </option>
            ))}
          </select>
        </Field>
        {township && user === null && role.value !== "township_admin" ? (
          <Field id="user-village" label={t("shell.village")}>
            <select
              id="user-village"
              value={village.value}
              onChange={(ev) => (village.value = (ev.target as HTMLSelectElement).value)}
            >
              {villages.value.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
      </div>
      <p class="hint">{tKnown("users.roleHint", role.value)}</p>
      {user === null ? (
        <TextField
          id="user-password"
          label={t("users.password")}
          error={e.password}
          hint={t("users.passwordHint", { min: PASSWORD_MIN })}
          type="password"
          autocomplete="new-password"
          value={password.value}
          onValue={(v) => (password.value = v)}
        />
      ) : null}
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons busy={busy.value} submit={t("common.save")} onCancel={onCancel} />
    </form>
  );
}

function ResetForm({
  user,
  onDone,
  onCancel,
}: {
  user: StaffUser;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const password = useSignal("");
  const again = useSignal("");
  const error = useSignal<{ password?: string; again?: string }>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: { password?: string; again?: string } = {};
    if (password.value.length < PASSWORD_MIN || password.value.length > PASSWORD_MAX)
      errs.password = t("users.errPassword", { min: PASSWORD_MIN });
    else if (again.value !== password.value) errs.again = t("users.errAgain");
    error.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res = await post(`/api/users/${user.id}/password`, { password: password.value });
    busy.value = false;
    if (res.ok) onDone(t("users.resetDone", { name: user.displayName ?? user.username }));
    else
      failure.value =
        becauseText(res.error) ?? `${problemText(res.error)} ${problemDetail(res.error)}`;
  };
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <p>{t("users.resetExplain", { name: user.displayName ?? user.username })}</p>
      <TextField
        id="reset-password"
        label={t("users.newPassword")}
        error={error.value.password}
        hint={t("users.passwordHint", { min: PASSWORD_MIN })}
        type="password"
        autocomplete="new-password"
        value={password.value}
        onValue={(v) => (password.value = v)}
      />
      <TextField
        id="reset-again"
        label={t("users.again")}
        error={error.value.again}
        type="password"
        autocomplete="new-password"
        value={again.value}
        onValue={(v) => (again.value = v)}
      />
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons busy={busy.value} submit={t("users.reset")} onCancel={onCancel} />
    </form>
  );
}
