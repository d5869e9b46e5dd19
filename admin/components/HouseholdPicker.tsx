import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { get, qs } from "../api.ts";
import { t } from "../i18n/index.ts";
import type { Household } from "../types.ts";
import { Points } from "./Points.tsx";

export const PICKER_RESULTS = 8;
/** Long enough to let a fast typist (or a card scanner) finish, short enough to feel immediate. */
export const SEARCH_PAUSE_MS = 60;

export interface HouseholdPickerProps {
  id: string;
  villageId: string;
  /** Households already chosen: marked in the list and not added twice. */
  chosen: ReadonlySet<string>;
  onPick: (household: Household) => void;
  /** Said when Enter found nothing to add. */
  onMiss: (text: string) => void;
  error?: string | null;
  describedBy?: string;
}

/**
 * The household search box of the record page (an ARIA combobox): type a name, pinyin initials,
 * a door plate or a card number, or scan a card (the scanner types its address and Enter).
 * ↑/↓ choose, Enter adds, and the box is cleared and keeps the focus for the next household.
 */
export function HouseholdPicker({
  id,
  villageId,
  chosen,
  onPick,
  onMiss,
  error,
  describedBy,
}: HouseholdPickerProps) {
  const text = useSignal("");
  const results = useSignal<Household[]>([]);
  const resultsFor = useSignal<string | null>(null);
  const active = useSignal(0);
  const open = useSignal(false);
  const searching = useSignal(false);
  const pendingEnter = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(0);
  const input = useRef<HTMLInputElement>(null);

  const pick = (h: Household) => {
    onPick(h);
    text.value = "";
    results.value = [];
    resultsFor.value = null;
    open.value = false;
    input.current?.focus();
  };

  const settleEnter = (query: string, found: Household[]) => {
    pendingEnter.current = false;
    const fresh = found.filter((h) => !chosen.has(h.id));
    if (found.length === 1 && found[0]) pick(found[0]);
    else if (
      fresh.length === 1 &&
      fresh[0] &&
      found.length > 1 &&
      found.every((h) => h.id === fresh[0]!.id || chosen.has(h.id))
    )
      pick(fresh[0]);
    else if (found.length === 0) onMiss(query);
    else open.value = true;
  };

  const search = (query: string) => {
    const ticket = ++latest.current;
    if (query.trim() === "") {
      results.value = [];
      resultsFor.value = null;
      searching.value = false;
      return;
    }
    searching.value = true;
    void get<{ items: Household[] }>(
      `/api/villages/${villageId}/households${qs({ search: query.trim(), limit: PICKER_RESULTS })}`,
    ).then((res) => {
      if (ticket !== latest.current) return;
      searching.value = false;
      const found = res.ok ? res.data.items : [];
      results.value = found;
      resultsFor.value = query;
      active.value = 0;
      if (pendingEnter.current) settleEnter(query, found);
      else open.value = found.length > 0 || query.trim() !== "";
    });
  };

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const onInput = (value: string) => {
    text.value = value;
    pendingEnter.current = false;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => search(value), SEARCH_PAUSE_MS);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const list = results.value;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      open.value = true;
      active.value = Math.min(active.value + 1, Math.max(0, list.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      active.value = Math.max(active.value - 1, 0);
    } else if (e.key === "Escape") {
      if (open.value) {
        e.preventDefault();
        open.value = false;
      }
    } else if (e.key === "Enter") {
      e.preventDefault();
      const query = text.value;
      if (query.trim() === "") return;
      if (resultsFor.value === query && !searching.value) {
        const chosenRow = open.value && list.length > 1 ? list[active.value] : undefined;
        if (chosenRow) pick(chosenRow);
        else settleEnter(query, list);
      } else {
        // The scanner typed faster than the search: add when its answer comes.
        pendingEnter.current = true;
        if (timer.current) clearTimeout(timer.current);
        search(query);
      }
    }
  };

  const listId = `${id}-list`;
  const showList = open.value && resultsFor.value !== null && resultsFor.value === text.value;
  const list = results.value;
  return (
    <div class="picker">
      <input
        ref={input}
        id={id}
        type="search"
        role="combobox"
        list={undefined}
        autocomplete="off"
        autocapitalize="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={showList ? "true" : "false"}
        aria-controls={listId}
        aria-activedescendant={
          showList && list[active.value] ? `${listId}-${list[active.value]!.id}` : undefined
        }
        aria-describedby={describedBy}
        aria-invalid={error ? "true" : undefined}
        placeholder={t("picker.placeholder")}
        value={text.value}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => (open.value = false), 150)}
        onFocus={() => (open.value = list.length > 0)}
      />
      <ul
        id={listId}
        role="listbox"
        class="picker-list"
        hidden={!showList}
        aria-label={t("picker.results")}
      >
        {showList && list.length === 0 ? (
          <li class="picker-none" role="option" aria-disabled="true" aria-selected="false">
            {t("picker.none")}
          </li>
        ) : null}
        {showList
          ? list.map((h, i) => {
              const already = chosen.has(h.id);
              return (
                <li
                  key={h.id}
                  id={`${listId}-${h.id}`}
                  role="option"
                  aria-selected={i === active.value ? "true" : "false"}
                  class={`picker-option${i === active.value ? " active" : ""}${already ? " chosen" : ""}`}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    pick(h);
                  }}
                >
                  <span class="picker-name">
                    <bdi>{h.headName}</bdi>
                    {already ? <span class="tag">{t("picker.already")}</span> : null}
                  </span>
                  <span class="picker-meta">
                    <bdi>{h.address || t("household.noAddress")}</bdi>
                    {h.card ? <bdi class="mono">{h.card.number}</bdi> : null}
                  </span>
                  <span class="picker-balance">
                    <Points value={h.balance} />
                  </span>
                </li>
              );
            })
          : null}
      </ul>
    </div>
  );
}
