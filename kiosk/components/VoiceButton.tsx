import { t } from "../i18n/index.ts";
import { toggleMute } from "../state/actions.ts";
import { muted } from "../state/store.ts";
import { Icon } from "./Icon.tsx";

export function VoiceButton() {
  const isMuted = muted.value;
  return (
    <button type="button" class="btn btn-quiet" aria-pressed={!isMuted} onClick={toggleMute}>
      <Icon name={isMuted ? "mute" : "sound"} />
      <span>{t(isMuted ? "voice.off" : "voice.on")}</span>
    </button>
  );
}
