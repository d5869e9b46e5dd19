// Loading a page's data: a signal that holds the answer, the failure or "loading", refetched
// whenever what it depends on (the village, an id) changes, with stale answers dropped.
import { useSignal, type Signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { ApiError, ApiResult } from "../api.ts";

export type Loaded<T> = { state: "loading" } | { state: "ok"; data: T } | { state: "error"; error: ApiError };

export function useLoad<T>(fetcher: () => Promise<ApiResult<T>> | null, deps: unknown[]): [Signal<Loaded<T>>, () => void] {
  const result = useSignal<Loaded<T>>({ state: "loading" });
  const generation = useSignal(0);
  const reload = () => (generation.value = generation.value + 1);
  useEffect(() => {
    let stale = false;
    const pending = fetcher();
    if (pending === null) return;
    if (result.peek().state !== "ok") result.value = { state: "loading" };
    void pending.then((res) => {
      if (stale) return;
      result.value = res.ok ? { state: "ok", data: res.data } : { state: "error", error: res.error };
    });
    return () => {
      stale = true;
    };
  }, [...deps, generation.value]);
  return [result, reload];
}
