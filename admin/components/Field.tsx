import type { ComponentChildren, InputHTMLAttributes, PartialInputHTMLAttributes } from "preact";
import { t } from "../i18n/index.ts";

export interface FieldProps {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string | null | undefined;
  /** Says 选填 after the label. */
  optional?: boolean;
  children: ComponentChildren;
  class?: string;
}

/**
 * A form field: a visible label, the control (which must carry `id` and, when there is one,
 * aria-describedby={`${id}-hint ${id}-error`}), a hint, and the error in words right under it.
 */
export function Field({ id, label, hint, error, optional, children, class: cls }: FieldProps) {
  return (
    <div class={`field${error ? " has-error" : ""}${cls ? ` ${cls}` : ""}`}>
      <label for={id}>
        {label}
        {optional ? (
          <>
            {" "}
            <span class="optional">{t("common.optional")}</span>
          </>
        ) : null}
      </label>
      {children}
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The aria attributes a control inside <Field> carries. */
export function describedBy(
  id: string,
  error: string | null | undefined,
  hint = false,
): { "aria-describedby"?: string; "aria-invalid"?: "true" } {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter((x) => x !== null)
    .join(" ");
  return {
    ...(ids ? { "aria-describedby": ids } : {}),
    ...(error ? { "aria-invalid": "true" as const } : {}),
  };
}

/** The attributes of the <input> that a TextField passes through as given. */
type InputPassed = Pick<
  PartialInputHTMLAttributes<HTMLInputElement>,
  | "inputMode"
  | "required"
  | "maxLength"
  | "min"
  | "max"
  | "step"
  | "autocomplete"
  | "autocapitalize"
  | "spellcheck"
  | "disabled"
  | "class"
> & { list?: string };

export type TextFieldProps = Omit<FieldProps, "children" | "class"> &
  InputPassed & {
    value: string;
    onValue: (value: string) => void;
    type?: "text" | "number" | "date" | "time" | "tel" | "password";
    /** Rendered after the input, inside the field (a <datalist> for `list`). */
    children?: ComponentChildren;
  };

/**
 * The common field: a labelled <input> bound to a value and a setter, wired to its hint and
 * error (aria-describedby, aria-invalid) the way every form of the staff pages wires it.
 * `class` goes to the input (the forms narrow short numbers with it), not to the field.
 */
export function TextField({
  id,
  label,
  hint,
  error,
  optional,
  value,
  onValue,
  children,
  ...input
}: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error} optional={optional}>
      <input
        id={id}
        // Preact types <input> as one variant per kind of `type`; a `type` that may be any of
        // several fits none of them, though each of them is a valid input.
        {...(input as InputHTMLAttributes<HTMLInputElement>)}
        value={value}
        onInput={(ev) => onValue(ev.currentTarget.value)}
        {...describedBy(id, error, Boolean(hint))}
      />
      {children}
    </Field>
  );
}
