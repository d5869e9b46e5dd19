import type { ComponentChildren } from "preact";
import { parts, type MessageKey } from "../i18n/index.ts";

export interface MsgProps {
  id: MessageKey;
  values?: Record<string, ComponentChildren>;
}

/** A catalog message with each value isolated in <bdi>, so names and numbers keep their order in Uyghur. */
export function Msg({ id, values = {} }: MsgProps) {
  return (
    <>
      {parts(id).map((p, i) =>
        typeof p === "string" ? p : <bdi key={i}>{values[p.name] ?? ""}</bdi>,
      )}
    </>
  );
}
