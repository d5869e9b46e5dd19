import type { Signal } from "@preact/signals";
import { t } from "../i18n/index.ts";
import { SUSPEND_MONTHS_MAX } from "../logic/rules.ts";
import { TextField } from "./Field.tsx";

/**
 * The months a deduction suspends redemptions (一票否决), optional: the same field on a village's
 * rule and on a township's template. The caller shows it for a deduction only.
 */
export function SuspendMonthsField({
  id,
  value,
  error,
}: {
  id: string;
  value: Signal<string>;
  error: string | undefined;
}) {
  return (
    <TextField
      id={id}
      label={t("rules.suspend")}
      optional
      error={error}
      hint={t("rules.suspendHint")}
      type="number"
      inputMode="numeric"
      min={1}
      max={SUSPEND_MONTHS_MAX}
      class="short"
      value={value.value}
      onValue={(v) => (value.value = v)}
    />
  );
}
