import { lang } from "../i18n/index.ts";
import { formatPoints } from "../../ui/format.ts";

export interface PointsProps {
  value: number;
  class?: string;
}

/** A number of points, Latin digits, isolated for right-to-left text. */
export function Points({ value, class: cls }: PointsProps) {
  return <bdi class={cls ? `num ${cls}` : "num"}>{formatPoints(value, lang.value)}</bdi>;
}
