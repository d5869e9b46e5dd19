/**
 * A recording stand-in for `speechSynthesis` (one Mandarin voice), installed before any page
 * script: this machine's Chromium has no voices. Tests read what the kiosk would have said from
 * `window.__spoken`; it proves the words and figures, not that a real voice sounds right.
 */
import type { Page } from "playwright-core";

export type Spoken = { text: string; lang: string };

/** For `context.addInitScript(recordingSpeech)`. */
export function recordingSpeech(): void {
  const w = window as unknown as { __spoken: { text: string; lang: string }[] };
  w.__spoken = [];
  const voice = {
    lang: "zh-CN",
    name: "Test Mandarin",
    default: true,
    localService: true,
    voiceURI: "test",
  };
  class Utterance {
    voice: unknown = null;
    lang = "";
    rate = 1;
    constructor(public text: string) {}
  }
  Object.defineProperty(window, "SpeechSynthesisUtterance", {
    value: Utterance,
    configurable: true,
  });
  Object.defineProperty(window, "speechSynthesis", {
    configurable: true,
    value: {
      getVoices: () => [voice],
      speak: (u: Utterance) => w.__spoken.push({ text: u.text, lang: u.lang }),
      cancel: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      onvoiceschanged: null,
    },
  });
}

export function spokenOn(page: Page): Promise<Spoken[]> {
  return page.evaluate(
    () => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken,
  );
}
