// Proves the keyboard-wedge burst detector: a scanner's fast burst ended by Enter is read, with or
// without a Chinese input method swallowing the keys, and a person's slow typing is not.
import { test, expect } from "bun:test";
import { charOfKey, createWedgeDetector, type WedgeKey } from "../../kiosk/logic/wedge.ts";

const SHIFTED = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ_:?".split(""));
const CODE_OF: Record<string, string> = {
  "/": "Slash",
  ":": "Semicolon",
  ".": "Period",
  "-": "Minus",
  _: "Minus",
};

function keyFor(ch: string, timeMs: number, ime: boolean): WedgeKey {
  let code: string;
  if (/[a-z]/i.test(ch)) code = `Key${ch.toUpperCase()}`;
  else if (/[0-9]/.test(ch)) code = `Digit${ch}`;
  else code = CODE_OF[ch] ?? "Unknown";
  return { key: ime ? "Process" : ch, code, shiftKey: SHIFTED.has(ch), isComposing: ime, timeMs };
}

function type(
  text: string,
  gapMs: number,
  ime = false,
  startMs = 1000,
): { keys: WedgeKey[]; endMs: number } {
  const keys = [...text].map((ch, i) => keyFor(ch, startMs + i * gapMs, ime));
  const endMs = startMs + text.length * gapMs;
  keys.push({ key: "Enter", code: "Enter", shiftKey: false, isComposing: false, timeMs: endMs });
  return { keys, endMs };
}

function run(keys: WedgeKey[]): (string | null)[] {
  const d = createWedgeDetector();
  return keys.map((k) => d.feed(k)).filter((x) => x !== null);
}

test("reads a burst typed 8 ms a key and ended by Enter", () => {
  expect(run(type("http://kiosk.local/c/AbC_d-123456789012345678", 8).keys)).toEqual([
    "http://kiosk.local/c/AbC_d-123456789012345678",
  ]);
});

test("reads the same burst while a Chinese input method reports every key as Process", () => {
  expect(run(type("http://kiosk.local/c/AbC_d-123456789012345678", 8, true).keys)).toEqual([
    "http://kiosk.local/c/AbC_d-123456789012345678",
  ]);
});

test("ignores a person typing 150 ms a key", () => {
  expect(run(type("12345678", 150).keys)).toEqual([]);
});

test("ignores a burst shorter than six characters", () => {
  expect(run(type("12345", 8).keys)).toEqual([]);
});

test("starts a fresh burst after a pause, so earlier slow keys are not glued on", () => {
  const slow = type("99", 200, false, 0).keys.slice(0, 2);
  const fast = type("12345678", 8, false, 5000).keys;
  expect(run([...slow, ...fast])).toEqual(["12345678"]);
});

test("refuses a burst whose Enter comes long after the last character", () => {
  const { keys } = type("12345678", 8);
  const enter = keys[keys.length - 1]!;
  keys[keys.length - 1] = { ...enter, timeMs: enter.timeMs + 500 };
  expect(run(keys)).toEqual([]);
});

test("lets Shift keys between characters pass without breaking the burst", () => {
  const d = createWedgeDetector();
  const keys: WedgeKey[] = [];
  let t = 0;
  for (const ch of "abcDEF") {
    if (ch === ch.toUpperCase())
      keys.push({
        key: "Shift",
        code: "ShiftLeft",
        shiftKey: true,
        isComposing: false,
        timeMs: (t += 4),
      });
    keys.push(keyFor(ch, (t += 4), false));
  }
  keys.push({ key: "Enter", code: "Enter", shiftKey: false, isComposing: false, timeMs: (t += 4) });
  expect(keys.map((k) => d.feed(k)).filter((x) => x !== null)).toEqual(["abcDEF"]);
});

test.each([
  [{ key: "Process", code: "KeyQ", shiftKey: false, isComposing: true }, "q"],
  [{ key: "Process", code: "KeyQ", shiftKey: true, isComposing: true }, "Q"],
  [{ key: "Process", code: "Digit7", shiftKey: false, isComposing: true }, "7"],
  [{ key: "Process", code: "Numpad7", shiftKey: false, isComposing: true }, "7"],
  [{ key: "Process", code: "Minus", shiftKey: true, isComposing: true }, "_"],
  [{ key: "Process", code: "Semicolon", shiftKey: true, isComposing: true }, ":"],
  [{ key: "x", code: "KeyX", shiftKey: false, isComposing: false }, "x"],
  [{ key: "Tab", code: "Tab", shiftKey: false, isComposing: false }, null],
])("rebuilds the character of %o as %p", (k, ch) => {
  expect(charOfKey(k)).toBe(ch);
});
