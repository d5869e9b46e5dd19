// Proves the round grid's outbox: a cell's newest tap wins, an answer for an older tap never
// drops a newer one, and the grid shows the server's scores with the waiting taps laid over them.
import { expect, test } from "bun:test";
import fc from "fast-check";
import { acknowledge, enqueue, overlay, type PendingScore } from "../../admin/logic/outbox.ts";

const tap = (h: string, r: string, quantity: number): PendingScore => ({
  householdId: h,
  ruleId: r,
  quantity,
  evidenceId: null,
  note: null,
});

test("a cell tapped again before it was sent keeps one place in the queue with the newest value", () => {
  const q = enqueue(enqueue(enqueue([], tap("1", "a", 1)), tap("2", "a", 1)), tap("1", "a", 0));
  expect(q).toEqual([tap("1", "a", 0), tap("2", "a", 1)]);
});

test("an answer for an older tap leaves the newer tap of the same cell waiting", () => {
  const sent = tap("1", "a", 1);
  const q = enqueue([sent], tap("1", "a", 0));
  expect(acknowledge(q, sent)).toEqual([tap("1", "a", 0)]);
  expect(acknowledge(q, tap("1", "a", 0))).toEqual([]);
});

test("whatever the taps, sending them in order leaves the server with each cell's last tap", () => {
  const cellArb = fc.record({
    h: fc.constantFrom("1", "2", "3"),
    r: fc.constantFrom("a", "b"),
    q: fc.integer({ min: 0, max: 2 }),
  });
  fc.assert(
    fc.property(
      fc.array(cellArb, { maxLength: 40 }),
      fc.array(fc.boolean(), { maxLength: 40 }),
      (taps, sendAfter) => {
        let queue: PendingScore[] = [];
        const server: { householdId: string; ruleId: string; quantity: number }[] = [];
        const last = new Map<string, number>();
        const sendOne = () => {
          const next = queue[0];
          if (!next) return;
          const at = server.findIndex(
            (s) => s.householdId === next.householdId && s.ruleId === next.ruleId,
          );
          if (at === -1) server.push({ ...next });
          else server[at] = { ...next };
          queue = acknowledge(queue, next);
        };
        taps.forEach((t, i) => {
          queue = enqueue(queue, tap(t.h, t.r, t.q));
          last.set(`${t.h}:${t.r}`, t.q);
          if (sendAfter[i]) sendOne();
          // What the person sees is always their last tap of each cell.
          for (const [key, q] of last) expect(overlay(server, queue).get(key)).toBe(q);
        });
        while (queue.length > 0) sendOne();
        for (const [key, q] of last)
          expect(server.find((s) => `${s.householdId}:${s.ruleId}` === key)?.quantity).toBe(q);
      },
    ),
  );
});
