// A handheld scanner in keyboard-wedge mode types the whole code in a burst (7 to 10 ms a key) and
// ends it with Enter; a person types far slower. The detector is fed every keydown and answers the
// code when an Enter closes a fast enough, long enough burst. It never reads the clock itself.

export const WEDGE_GAP_MS_MAX = 50;
export const WEDGE_LENGTH_MIN = 6;

/** The parts of a KeyboardEvent the detector needs, so tests can feed it plain objects. */
export interface WedgeKey {
  key: string;
  code: string;
  shiftKey: boolean;
  isComposing: boolean;
  timeMs: number;
}

const SHIFTED_BY_CODE: Record<string, [string, string]> = {
  Minus: ["-", "_"],
  Equal: ["=", "+"],
  Slash: ["/", "?"],
  Period: [".", ">"],
  Comma: [",", "<"],
  Semicolon: [";", ":"],
  Quote: ["'", '"'],
  BracketLeft: ["[", "{"],
  BracketRight: ["]", "}"],
  Backslash: ["\\", "|"],
  Backquote: ["`", "~"],
  Space: [" ", " "],
  Digit1: ["1", "!"],
  Digit2: ["2", "@"],
  Digit3: ["3", "#"],
  Digit4: ["4", "$"],
  Digit5: ["5", "%"],
  Digit6: ["6", "^"],
  Digit7: ["7", "&"],
  Digit8: ["8", "*"],
  Digit9: ["9", "("],
  Digit0: ["0", ")"],
  NumpadDecimal: [".", "."],
  NumpadDivide: ["/", "/"],
  NumpadSubtract: ["-", "-"],
  NumpadAdd: ["+", "+"],
  NumpadMultiply: ["*", "*"],
};

/**
 * The character a key stands for on a US layout. An active Chinese input method reports
 * `key === "Process"` (or `isComposing`) and swallows the character, so it is rebuilt from the
 * physical `code` instead; card payloads are ASCII, so that loses nothing.
 */
export function charOfKey(
  k: Pick<WedgeKey, "key" | "code" | "shiftKey" | "isComposing">,
): string | null {
  const imeActive = k.isComposing || k.key === "Process" || k.key === "Unidentified";
  if (!imeActive && k.key.length === 1) return k.key;
  if (!imeActive) return null;
  const letter = /^Key([A-Z])$/.exec(k.code);
  if (letter?.[1]) return k.shiftKey ? letter[1] : letter[1].toLowerCase();
  const numpadDigit = /^Numpad([0-9])$/.exec(k.code);
  if (numpadDigit?.[1]) return numpadDigit[1];
  const pair = SHIFTED_BY_CODE[k.code];
  if (pair) return k.shiftKey ? pair[1] : pair[0];
  return null;
}

function isEnter(k: Pick<WedgeKey, "key" | "code">): boolean {
  return k.key === "Enter" || k.code === "Enter" || k.code === "NumpadEnter";
}

export interface WedgeDetector {
  /** Feeds one keydown; answers the scanned text when this key is the Enter that ends a burst. */
  feed(k: WedgeKey): string | null;
  /** True while the last keys look like the start of a burst (so the caller may hold them back). */
  inBurst(nowMs: number): boolean;
  reset(): void;
}

export function createWedgeDetector(
  gapMsMax: number = WEDGE_GAP_MS_MAX,
  lengthMin: number = WEDGE_LENGTH_MIN,
): WedgeDetector {
  let buffer = "";
  let lastMs = Number.NEGATIVE_INFINITY;

  return {
    feed(k: WedgeKey): string | null {
      const gapMs = k.timeMs - lastMs;
      if (isEnter(k)) {
        const text = buffer;
        const fast = gapMs < gapMsMax;
        buffer = "";
        lastMs = Number.NEGATIVE_INFINITY;
        return fast && text.length >= lengthMin ? text : null;
      }
      const ch = charOfKey(k);
      if (ch === null) {
        // Shift, CapsLock and other modifiers come between the characters of a burst; they
        // neither break it nor count towards it.
        if (k.key === "Shift" || k.code.startsWith("Shift")) return null;
        buffer = "";
        lastMs = Number.NEGATIVE_INFINITY;
        return null;
      }
      buffer = gapMs < gapMsMax ? buffer + ch : ch;
      lastMs = k.timeMs;
      return null;
    },
    inBurst(nowMs: number): boolean {
      return buffer.length >= 2 && nowMs - lastMs < gapMsMax;
    },
    reset(): void {
      buffer = "";
      lastMs = Number.NEGATIVE_INFINITY;
    },
  };
}
