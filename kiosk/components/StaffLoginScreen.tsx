import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { t } from "../i18n/index.ts";
import { goTo } from "../state/actions.ts";
import { loadStaffNames, type StaffName } from "../state/staff.ts";
import { Icon } from "./Icon.tsx";
import { StaffPasswordForm } from "./StaffPasswordForm.tsx";
import { StaffPinPad } from "./StaffPinPad.tsx";

type Step = { kind: "names" } | { kind: "pin"; who: StaffName } | { kind: "password" };

/**
 * A clerk signs in on the kiosk itself without a keyboard: a tap on their name among the
 * village's staff who have set a kiosk PIN, then the PIN on big keys. The username and password
 * (with the shop's keyboard or the system's on-screen one) remain, for staff without a PIN.
 */
export function StaffLoginScreen() {
  const names = useSignal<StaffName[] | null>(null);
  const loaded = useSignal(false);
  const step = useSignal<Step>({ kind: "names" });

  useEffect(() => {
    void loadStaffNames().then((list) => {
      names.value = list;
      loaded.value = true;
      if (list === null || list.length === 0) step.value = { kind: "password" };
    });
  }, []);

  const s = step.value;
  const list = names.value ?? [];
  return (
    <main class="screen staff-screen staff-login-screen">
      <div class="screen-head">
        <button
          type="button"
          class="btn btn-secondary"
          onClick={() => (s.kind === "pin" ? (step.value = { kind: "names" }) : goTo("attract"))}
        >
          <Icon name="back" />
          <span>{t(s.kind === "pin" ? "staff.someoneElse" : "common.back")}</span>
        </button>
        <h1>{t("staff.loginTitle")}</h1>
      </div>
      {!loaded.value ? (
        <p class="empty" role="status">
          {t("staff.loadingNames")}
        </p>
      ) : s.kind === "names" ? (
        <section class="staff-pick" aria-labelledby="staff-pick-title">
          <h2 id="staff-pick-title">{t("staff.pickName")}</h2>
          <ul class="staff-names">
            {list.map((who) => (
              <li key={who.id}>
                <button
                  type="button"
                  class="btn btn-quiet staff-name"
                  onClick={() => (step.value = { kind: "pin", who })}
                >
                  <Icon name="staff" />
                  <bdi>{who.displayName}</bdi>
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="btn btn-secondary staff-other"
            onClick={() => (step.value = { kind: "password" })}
          >
            <Icon name="keypad" />
            <span>{t("staff.usePassword")}</span>
          </button>
        </section>
      ) : s.kind === "pin" ? (
        <StaffPinPad key={s.who.id} who={s.who} />
      ) : (
        <StaffPasswordForm
          pinNames={list.length > 0}
          onPin={() => (step.value = { kind: "names" })}
        />
      )}
    </main>
  );
}
