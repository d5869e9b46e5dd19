import { tKnown } from "../i18n/index.ts";
import type { Entry } from "../types.ts";

/** An entry's status as a small coloured tag with its name in words. */
export function EntryStatus({ status }: { status: Entry["status"] }) {
  return <span class={`tag status-${status}`}>{tKnown("status", status)}</span>;
}
