/**
 * Layout checks shared by the page tests: text that overflows its box or the screen, and words
 * broken inside themselves. Each answers a list of findings in words (empty: none), so a failure
 * names the element.
 */
import type { Page } from "playwright-core";

/**
 * Every shown element inside the viewport's width, no sideways scrolling, and no clipping box
 * (overflow other than visible) holding more than it shows.
 */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    const width = root.clientWidth;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${typeof el.className === "string" && el.className.trim() !== "" ? `.${el.className.trim().split(/\s+/).join(".")}` : ""} "${(el.textContent ?? "").trim().slice(0, 40)}"`;
    if (root.scrollWidth > width + 1)
      out.push(`the page scrolls sideways: ${root.scrollWidth} > ${width}`);
    for (const el of document.body.querySelectorAll("*")) {
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden") continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < -1 || r.right > width + 1)
        out.push(
          `${name(el)} reaches outside the screen: ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`,
        );
      const clips = style.overflowX !== "visible" || style.overflowY !== "visible";
      if (clips && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
        out.push(
          `${name(el)} holds more than it shows: ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`,
        );
      }
    }
    return out;
  });
}

/**
 * Headings and the given instructions whose lines break inside a word. A line break is found
 * where the text's character boxes step down a line; a break is inside a word when the
 * characters on both sides are letters of one word: two Han characters of one "word" (the text
 * has no spaces, so a run of Han between the page's own separators counts as one word, as
 * `扫码口` must stay whole) or two letters of a spaced script (Latin, Uyghur).
 */
export async function wordsBroken(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    const letter = /[\p{L}\p{N}]/u;
    for (const el of document.querySelectorAll(sel)) {
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden") continue;
      // Text for screen readers only sits in a 1 px box: it has no lines to judge.
      if (el.closest(".visually-hidden") !== null) continue;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      // Every character's box top, in order across the element's text nodes.
      const chars: { ch: string; top: number; node: Text; i: number }[] = [];
      for (
        let node = walker.nextNode() as Text | null;
        node !== null;
        node = walker.nextNode() as Text | null
      ) {
        const text = node.data;
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rects = range.getClientRects();
          const top = rects.length > 0 ? rects[0]!.top : Number.NaN;
          chars.push({ ch: text[i]!, top, node, i });
        }
      }
      const shown = chars.filter((c) => !Number.isNaN(c.top));
      for (let k = 1; k < shown.length; k++) {
        const a = shown[k - 1]!;
        const b = shown[k]!;
        // A new line: this character sits lower than the one before by more than half a line.
        if (b.top - a.top < 8) continue;
        // A space, a zero-width space or a soft hyphen between them (unshown) is a place to break.
        const between = a.node === b.node ? a.node.data.slice(a.i + 1, b.i) : "";
        if (/[\s\u200b\u00ad]/.test(between)) continue;
        if (letter.test(a.ch) && letter.test(b.ch)) {
          const text = shown.map((c) => c.ch).join("");
          out.push(
            `${el.tagName.toLowerCase()}.${el.className} breaks "${a.ch}|${b.ch}" in "${text}"`,
          );
        }
      }
    }
    return out;
  }, selector);
}

/** The given elements whose text runs past their own box or past the screen's edges. */
export async function textOutside(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    const width = document.documentElement.clientWidth;
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      const style = getComputedStyle(el);
      if (
        style.display === "none" ||
        style.visibility === "hidden" ||
        el.closest(".visually-hidden") !== null
      )
        continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      const text = (el.textContent ?? "").trim().slice(0, 40);
      if (r.left < -1 || r.right > width + 1)
        out.push(
          `"${text}" reaches outside the screen: ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`,
        );
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`"${text}" is wider than its box: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  }, selector);
}
