// Loading a page's data: the answer, the failure or "loading", refetched whenever what it depends
// on (the village, an id, a period) changes, with stale answers dropped. An answer is shown only
// for what it was asked for: the first frame after a change already says "loading", never the
// old answer under the new heading; a reload of the same thing keeps the old answer on screen
// until the new one comes.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { ApiError, ApiResult } from "../api.ts";

export type Loaded<T> =
  { state: "loading" } | { state: "ok"; data: T } | { state: "error"; error: ApiError };

const LOADING = { state: "loading" } as const;

export function useLoad<T>(
  fetcher: () => Promise<ApiResult<T>> | null,
  deps: unknown[],
): [{ readonly value: Loaded<T> }, () => void] {
  const store = useSignal<{ key: string | null; loaded: Loaded<T> }>({
    key: null,
    loaded: LOADING,
  });
  const generation = useSignal(0);
  const reload = () => (generation.value = generation.value + 1);
  const key = JSON.stringify(deps);
  useEffect(() => {
    let stale = false;
    const pending = fetcher();
    if (pending === null) return;
    if (store.peek().loaded.state === "error") store.value = { key, loaded: LOADING };
    void pending.then((res) => {
      if (stale) return;
      store.value = {
        key,
        loaded: res.ok ? { state: "ok", data: res.data } : { state: "error", error: res.error },
      };
    });
    return () => {
      stale = true;
    };
  }, [key, generation.value]);
  const current = store.value;
  return [{ value: current.key === key ? current.loaded : LOADING }, reload];
}
