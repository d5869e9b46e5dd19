import type { ComponentChildren } from "preact";
import { t } from "../i18n/index.ts";
import { Dialog } from "./Dialog.tsx";

/** Asks before a step that cannot simply be taken back (revoke a card, retire a rule): say what it does, then do it or not. */
export function ConfirmDialog({
  open,
  title,
  confirm,
  onConfirm,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  confirm: string;
  onConfirm: () => void;
  onClose: () => void;
  children: ComponentChildren;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <p>{children}</p>
      <div class="button-row">
        <button
          type="button"
          class="button danger"
          onClick={() => {
            onConfirm();
            onClose();
          }}
        >
          {confirm}
        </button>
        <button type="button" class="button" onClick={onClose}>
          {t("common.cancel")}
        </button>
      </div>
    </Dialog>
  );
}
