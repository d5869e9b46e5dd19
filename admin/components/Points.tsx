import { formatPoints } from "../../ui/format.ts";
import { lang } from "../i18n/index.ts";

/** Points with their sign (+10, −5), Latin digits, isolated for right-to-left text. */
export function Points({
  value,
  signed = false,
  class: cls,
}: {
  value: number;
  signed?: boolean;
  class?: string;
}) {
  const text = formatPoints(value, lang.value);
  const tone = signed ? (value > 0 ? " pos" : value < 0 ? " neg" : "") : "";
  return (
    <bdi class={`num${tone}${cls ? ` ${cls}` : ""}`}>{signed && value > 0 ? `+${text}` : text}</bdi>
  );
}
