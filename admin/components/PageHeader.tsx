import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n/index.ts";

/**
 * A page's title: the one <h1>, focused when the page opens (so a screen reader announces the new
 * page after a link, as a full load would) and written into the window's title.
 */
export function PageHeader({
  title,
  lead,
  actions,
}: {
  title: string;
  lead?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div class="page-header">
      <div class="page-header-text">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {lead ? <p class="lead">{lead}</p> : null}
      </div>
      {actions ? <div class="page-actions">{actions}</div> : null}
    </div>
  );
}
