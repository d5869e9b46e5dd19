import type { Signal } from "@preact/signals";
import { t } from "../i18n/index.ts";
import { SUSPEND_MONTHS_MAX } from "../logic/rules.ts";
import { describedBy, Field } from "./Field.tsx";

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
    <Field
      id={id}
      label={
        <>
          {t("rules.suspend")} <span class="optional">{t("common.optional")}</span>
        </>
      }
      error={error}
      hint={t("rules.suspendHint")}
    >
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={1}
        max={SUSPEND_MONTHS_MAX}
        value={value.value}
        onInput={(ev) => (value.value = (ev.target as HTMLInputElement).value)}
        {...describedBy(id, error, true)}
        class="short"
      />
    </Field>
  );
}
