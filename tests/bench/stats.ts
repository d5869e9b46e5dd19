/** Small statistics for benches: percentiles of a sample, printed to 2 decimals. */
export function percentile(sortedAsc: number[], p: number): number {
  if (sortedAsc.length === 0) return NaN;
  const index = Math.min(
    sortedAsc.length - 1,
    Math.max(0, Math.ceil((p / 100) * sortedAsc.length) - 1),
  );
  return sortedAsc[index]!;
}

export function summarize(samplesMs: number[]): {
  p50: number;
  p95: number;
  p99: number;
  n: number;
} {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    n: sorted.length,
  };
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export const fmt = (x: number): string => x.toFixed(2);

export function verdict(ok: boolean): string {
  return ok ? "MET" : "NOT MET";
}
