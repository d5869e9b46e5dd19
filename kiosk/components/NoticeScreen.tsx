import { t, type MessageKey } from "../i18n/index.ts";
import { retryBoot } from "../state/actions.ts";
import { Icon, type IconName } from "./Icon.tsx";

export interface NoticeScreenProps {
  icon: IconName;
  title: MessageKey;
  body: MessageKey;
  retry?: boolean;
}

/** A whole-screen notice: not paired, locked. */
export function NoticeScreen({ icon, title, body, retry = false }: NoticeScreenProps) {
  return (
    <main class="screen notice-screen">
      <div class="notice-card">
        <span class="notice-icon" aria-hidden="true">
          <Icon name={icon} size={72} />
        </span>
        <h1>{t(title)}</h1>
        <p>{t(body)}</p>
        {retry && (
          <button type="button" class="btn btn-secondary" onClick={retryBoot}>
            <span>{t("boot.retry")}</span>
          </button>
        )}
      </div>
    </main>
  );
}
