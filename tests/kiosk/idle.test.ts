// Proves the idle timing: ask after 90 s, clear after 20 s more, never while nothing may be cleared.
import { test, expect } from "bun:test";
import { idlePhase } from "../../kiosk/logic/idle.ts";
import { uuidFromBytes } from "../../ui/uuid.ts";

test("stays active for 90 seconds after the last touch", () => {
  expect(idlePhase(0, 89_999, true)).toEqual({ kind: "active" });
});

test("asks with a 20 second deadline after 90 seconds", () => {
  expect(idlePhase(0, 90_000, true)).toEqual({ kind: "asking", deadlineMs: 110_000 });
});

test("expires when the countdown runs out", () => {
  expect(idlePhase(0, 110_000, true)).toEqual({ kind: "expired" });
});

test("never times out while a sale is in flight", () => {
  expect(idlePhase(0, 1_000_000, false)).toEqual({ kind: "active" });
});

test("makes a version 4 UUID from random bytes", () => {
  const id = uuidFromBytes(new Uint8Array(16).fill(0xff));
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
