import type { ComponentChildren } from "preact";

export interface FieldProps {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string | null | undefined;
  optional?: boolean;
  children: ComponentChildren;
  class?: string;
}

/**
 * A form field: a visible label, the control (which must carry `id` and, when there is one,
 * aria-describedby={`${id}-hint ${id}-error`}), a hint, and the error in words right under it.
 */
export function Field({ id, label, hint, error, children, class: cls }: FieldProps) {
  return (
    <div class={`field${error ? " has-error" : ""}${cls ? ` ${cls}` : ""}`}>
      <label for={id}>{label}</label>
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
