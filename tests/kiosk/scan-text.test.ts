// Proves the scan-text parser: a card URL, a bare token and the printed 8-digit number are read as
// card codes, anything else is refused, and the same code within 3 s is acted on once.
import { test, expect } from "bun:test";
import { createScanDeduper, parseScanText } from "../../kiosk/logic/scan-text.ts";

const TOKEN = "q3J9xK2mVb7LwP0sT5nYzA";

test.each([
  [`https://jifen.example.cn/c/${TOKEN}`, { kind: "token", code: TOKEN }],
  [`http://192.168.1.20:3000/c/${TOKEN}`, { kind: "token", code: TOKEN }],
  [`http://localhost:3000/c/${TOKEN}/`, { kind: "token", code: TOKEN }],
  [`  ${TOKEN}\n`, { kind: "token", code: TOKEN }],
  [`jifen.example.cn/c/${TOKEN}`, { kind: "token", code: TOKEN }],
  ["12345678", { kind: "number", code: "12345678" }],
  ["1234 5678", { kind: "number", code: "12345678" }],
  ["1234-5678", { kind: "number", code: "12345678" }],
])("reads %p as a card code", (text, expected) => {
  expect(parseScanText(text)).toEqual(expected as ReturnType<typeof parseScanText>);
});

test.each([
  [""],
  ["1234567"],
  ["123456789"],
  ["short-token"],
  ["https://example.com/goods/rice"],
  [`https://example.com/c/${TOKEN}?x=1#frag/`.replace(TOKEN, "bad token")],
  ["6901234567892-not-a-card!"],
  ["not a url at all but long enough"],
])("refuses %p", (text) => {
  expect(parseScanText(text)).toBeNull();
});

test("acts on a code once and ignores it again within 3 seconds", () => {
  const d = createScanDeduper();
  expect(d.accept("A", 0)).toBe(true);
  expect(d.accept("A", 1000)).toBe(false);
  expect(d.accept("A", 2500)).toBe(false);
});

test("keeps ignoring a card that stays in front of the camera", () => {
  const d = createScanDeduper();
  expect(d.accept("A", 0)).toBe(true);
  for (let t = 500; t <= 10_000; t += 500) expect(d.accept("A", t)).toBe(false);
  expect(d.accept("A", 13_001)).toBe(true);
});

test("acts on another card at once", () => {
  const d = createScanDeduper();
  expect(d.accept("A", 0)).toBe(true);
  expect(d.accept("B", 100)).toBe(true);
  expect(d.accept("A", 200)).toBe(true);
});

test("acts on the same card again after a reset", () => {
  const d = createScanDeduper();
  expect(d.accept("A", 0)).toBe(true);
  d.reset();
  expect(d.accept("A", 10)).toBe(true);
});
