// `navigator.onLine` says nothing about the server: poll /healthz instead, with a short time
// limit, and pause confirming while it fails. Recovery sends a waiting submit again at once.
import { request } from "../../ui/http.ts";
import { pumpSubmit } from "./actions.ts";
import { online } from "./store.ts";

export const HEALTH_POLL_MS = 10_000;
export const HEALTH_POLL_OFFLINE_MS = 4000;
export const HEALTH_TIMEOUT_MS = 3000;

let timer: ReturnType<typeof setTimeout> | null = null;

export async function checkHealth(): Promise<void> {
  const r = await request("/healthz", { timeoutMs: HEALTH_TIMEOUT_MS });
  const ok = r.kind === "response" && r.status === 200;
  const wasOnline = online.value;
  online.value = ok;
  if (ok && !wasOnline) pumpSubmit();
}

export function startHealthPolling(): void {
  const loop = async (): Promise<void> => {
    await checkHealth();
    timer = setTimeout(() => void loop(), online.value ? HEALTH_POLL_MS : HEALTH_POLL_OFFLINE_MS);
  };
  if (timer === null) void loop();
  // Any failed call elsewhere marks the kiosk offline; check again soon rather than in 10 s.
  online.subscribe((ok) => {
    if (!ok && timer !== null) {
      clearTimeout(timer);
      timer = setTimeout(() => void loop(), HEALTH_POLL_OFFLINE_MS);
    }
  });
}
