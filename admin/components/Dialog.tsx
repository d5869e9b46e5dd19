import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/**
 * A native modal <dialog>: focus is trapped and returned by the browser, Escape closes it. Open
 * while `open` is true; `onClose` is called however it was closed.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  wide = false,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      class={`dialog${wide ? " wide" : ""}`}
      aria-labelledby="dialog-title"
      onClose={onClose}
      onCancel={onClose}
    >
      {open ? (
        <>
          <h2 id="dialog-title">{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}
