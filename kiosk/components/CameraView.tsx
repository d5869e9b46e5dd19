import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n/index.ts";
import { onScan } from "../state/actions.ts";
import { Icon } from "./Icon.tsx";

/** The live camera on the scan screen only; its tracks are stopped when the screen goes. */
export function CameraView() {
  const video = useRef<HTMLVideoElement>(null);
  const state = useSignal<"starting" | "running" | "unavailable">("starting");

  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    const el = video.current;
    if (el === null || !navigator.mediaDevices?.getUserMedia) {
      state.value = "unavailable";
      return;
    }
    import("../camera/reader.ts")
      .then((m) => m.startCamera(el, (text) => onScan(text, Date.now())))
      .then((s) => {
        if (cancelled) s();
        else {
          stop = s;
          state.value = "running";
        }
      })
      .catch(() => {
        if (!cancelled) state.value = "unavailable";
      });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);

  return (
    <section class={`camera camera-${state.value}`} aria-labelledby="camera-label">
      <div class="camera-frame">
        <video ref={video} class="camera-video" muted playsInline aria-hidden="true" />
        <div class="camera-aim" aria-hidden="true" />
        {state.value !== "running" && (
          <div class="camera-placeholder" aria-hidden="true">
            <Icon name="camera" size={96} />
          </div>
        )}
      </div>
      <p id="camera-label" class="camera-label">
        {t(
          state.value === "running"
            ? "scan.camera"
            : state.value === "starting"
              ? "scan.cameraStarting"
              : "scan.cameraUnavailable",
        )}
      </p>
    </section>
  );
}
