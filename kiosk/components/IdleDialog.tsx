import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n/index.ts";
import { secondsLeft } from "../../ui/format.ts";
import { resetVisit, touchActivity } from "../state/actions.ts";
import { idleDeadlineMs, nowMs } from "../state/store.ts";
import { Icon } from "./Icon.tsx";
import { Msg } from "./Msg.tsx";

/** "还需要时间吗？" with its countdown, as a native modal dialog (WCAG 2.2.1, timing adjustable). */
export function IdleDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const deadline = idleDeadlineMs.value;
  const open = deadline !== null;

  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const seconds = deadline === null ? 0 : secondsLeft(deadline, nowMs.value);
  return (
    <dialog
      ref={ref}
      class="idle-dialog"
      aria-labelledby="idle-title"
      onCancel={(e) => e.preventDefault()}
    >
      <div class="idle-clock" aria-hidden="true">
        <Icon name="clock" size={64} />
      </div>
      <h2 id="idle-title">{t("idle.title")}</h2>
      <p class="idle-count" aria-live="polite">
        <Msg id="idle.body" values={{ seconds: <span class="num countdown">{seconds}</span> }} />
      </p>
      <div class="row">
        <button
          type="button"
          class="btn btn-primary btn-wide"
          onClick={() => touchActivity(Date.now())}
        >
          <Icon name="check" />
          <span>{t("idle.more")}</span>
        </button>
        <button type="button" class="btn btn-secondary" onClick={resetVisit}>
          <Icon name="home" />
          <span>{t("idle.leave")}</span>
        </button>
      </div>
    </dialog>
  );
}
