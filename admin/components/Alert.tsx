import type { ComponentChildren } from "preact";
import { Icon } from "./Icon.tsx";

/** A message in a box: `error` is announced at once (role=alert), the others politely (role=status). */
export function Alert({
  tone,
  children,
  actions,
}: {
  tone: "error" | "ok" | "info" | "warn";
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <div class={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"}>
      <Icon name={tone === "ok" ? "check" : tone === "info" ? "today" : "alert"} />
      <div class="alert-body">{children}</div>
      {actions ? <div class="alert-actions">{actions}</div> : null}
    </div>
  );
}
