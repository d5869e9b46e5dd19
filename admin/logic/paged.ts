// A list the server pages with a cursor (newest first): the first page whenever what it depends
// on changes, "more" appending the next one; answers to an older request are dropped.
import { useSignal, type Signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { get, type ApiError } from "../api.ts";
import type { Page } from "../types.ts";

export type Paged<T> = {
  items: Signal<T[]>;
  /** The cursor of the next page, or null when this was the last. */
  cursor: Signal<string | null>;
  state: Signal<"loading" | "ok" | "error">;
  error: Signal<ApiError | null>;
  loadMore: () => void;
  reload: () => void;
};

/** `path(cursor)` is the address of a page (null: nothing to load yet). */
export function usePaged<T>(
  path: (cursor: string | null) => string | null,
  deps: unknown[],
): Paged<T> {
  const items = useSignal<T[]>([]);
  const cursor = useSignal<string | null>(null);
  const state = useSignal<"loading" | "ok" | "error">("loading");
  const error = useSignal<ApiError | null>(null);
  const generation = useSignal(0);
  const ticket = useRef(0);

  const load = (after: string | null) => {
    const address = path(after);
    if (address === null) return;
    const mine = ++ticket.current;
    void get<Page<T>>(address).then((res) => {
      if (mine !== ticket.current) return;
      if (!res.ok) {
        state.value = "error";
        error.value = res.error;
        return;
      }
      items.value = after === null ? res.data.items : [...items.value, ...res.data.items];
      cursor.value = res.data.nextCursor;
      state.value = "ok";
    });
  };

  useEffect(() => {
    state.value = "loading";
    items.value = [];
    cursor.value = null;
    load(null);
  }, [...deps, generation.value]);

  return {
    items,
    cursor,
    state,
    error,
    loadMore: () => load(cursor.value),
    reload: () => (generation.value = generation.value + 1),
  };
}
