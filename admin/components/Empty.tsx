import type { ComponentChildren } from "preact";
import { Icon, type AnyIcon } from "./Icon.tsx";

export function Empty({
  icon,
  title,
  children,
}: {
  icon: AnyIcon;
  title: string;
  children?: ComponentChildren;
}) {
  return (
    <div class="empty">
      <Icon name={icon} size={36} />
      <p class="empty-title">{title}</p>
      {children ? <div class="empty-body">{children}</div> : null}
    </div>
  );
}
