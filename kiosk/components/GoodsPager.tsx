import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { RefObject } from "preact";
import { t } from "../i18n/index.ts";
import { Icon } from "./Icon.tsx";
import { Msg } from "./Msg.tsx";

/** A row of tiles as the scroll box lays it out: where it starts and ends, in the box's own pixels. */
export interface Row {
  top: number;
  bottom: number;
}

/**
 * Where each page of the goods starts (scrollTop values), from the top: a page starts with the
 * first row the page before did not show whole, so no good is ever half seen on every page. A row
 * taller than the box moves the box by its own height. `inset` is the box's padding above a row.
 */
export function pageStarts(
  rows: readonly Row[],
  viewHeight: number,
  maxTop: number,
  inset: number,
): number[] {
  const starts = [0];
  let start = 0;
  while (start < maxTop - 1) {
    const cut = rows.find((r) => r.bottom > start + viewHeight + 1);
    if (cut === undefined) break;
    let next = Math.min(cut.top - inset, maxTop);
    if (next <= start + 1) next = Math.min(start + viewHeight, maxTop);
    starts.push(next);
    start = next;
  }
  return starts;
}

interface PagerState {
  starts: number[];
  /** 0-based: the last start at or above the box's scroll position. */
  index: number;
}

const INSET_PX = 4; // the .goods-scroll padding that keeps a chosen tile's border in view

function measure(box: HTMLElement): PagerState | null {
  const maxTop = box.scrollHeight - box.clientHeight;
  if (maxTop <= 1) return null;
  const rows: Row[] = [];
  for (const tile of box.querySelectorAll<HTMLElement>("li.tile")) {
    const last = rows[rows.length - 1];
    if (last !== undefined && Math.abs(last.top - tile.offsetTop) < 2)
      last.bottom = Math.max(last.bottom, tile.offsetTop + tile.offsetHeight);
    else rows.push({ top: tile.offsetTop, bottom: tile.offsetTop + tile.offsetHeight });
  }
  const starts = pageStarts(rows, box.clientHeight, maxTop, INSET_PX);
  const at = box.scrollTop;
  let index = 0;
  starts.forEach((s, i) => {
    if (s <= at + 1) index = i;
  });
  if (at >= maxTop - 1) index = starts.length - 1;
  return { starts, index };
}

/**
 * 上一页 / 下一页 beside the goods when they do not fit: big buttons that move the box a page of
 * whole rows at a time, for hands that do not scroll. Finger scrolling still works; the buttons
 * and the page number follow it.
 */
export function GoodsPager({
  box,
  content,
}: {
  box: RefObject<HTMLElement | null>;
  content: unknown;
}) {
  const state = useSignal<PagerState | null>(null);
  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const update = (): void => {
      state.value = measure(el);
    };
    const resized = new ResizeObserver(update);
    resized.observe(el);
    for (const child of el.children) resized.observe(child);
    el.addEventListener("scroll", update, { passive: true });
    update();
    return () => {
      resized.disconnect();
      el.removeEventListener("scroll", update);
    };
    // Measured again when the goods change (they arrive after the screen, or stock runs out).
  }, [box.current, content]);

  const s = state.value;
  if (s === null) return null;
  const go = (top: number | undefined): void => {
    const el = box.current;
    if (el === null || top === undefined) return;
    el.scrollTo({ top, behavior: "instant" });
  };
  const at = box.current?.scrollTop ?? 0;
  const previous = [...s.starts].reverse().find((start) => start < at - 1);
  const next = s.starts.find((start) => start > at + 1);
  return (
    <nav class="goods-pager" aria-label={t("goods.title")}>
      <button
        type="button"
        class="btn btn-secondary pager-btn"
        disabled={previous === undefined}
        onClick={() => go(previous)}
      >
        <span class="pager-arrow pager-up" aria-hidden="true">
          <Icon name="back" />
        </span>
        <span>{t("goods.pageUp")}</span>
      </button>
      <p class="pager-page" aria-live="polite">
        {/* "1/3" as one value, so it reads 1/3 also inside right-to-left text. */}
        <Msg id="goods.page" values={{ at: `${s.index + 1}/${s.starts.length}` }} />
      </p>
      <button
        type="button"
        class="btn btn-secondary pager-btn"
        disabled={next === undefined}
        onClick={() => go(next)}
      >
        <span class="pager-arrow pager-down" aria-hidden="true">
          <Icon name="back" />
        </span>
        <span>{t("goods.pageDown")}</span>
      </button>
    </nav>
  );
}
