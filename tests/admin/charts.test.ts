// Proves the axis of the report's charts: whole numbers from 0, at least up to the largest bar.
import { expect, test } from "bun:test";
import fc from "fast-check";
import { niceTicks } from "../../admin/components/BarChart.tsx";

test("ticks are whole, increasing, start at 0 and reach the largest value", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10_000_000 }), (max) => {
      const ticks = niceTicks(max);
      expect(ticks[0]).toBe(0);
      expect(ticks.every((t) => Number.isInteger(t))).toBe(true);
      expect(ticks.every((t, i) => i === 0 || t > ticks[i - 1]!)).toBe(true);
      expect(ticks[ticks.length - 1]!).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(7);
    }),
  );
});
