// A small seeded pseudo-random generator for demo data. The demo must look the same on every
// run and on every machine, so nothing here reads Math.random or the clock: all randomness
// flows from one 32-bit seed through sfc32, which passes PractRand and is fast in plain JS.

const UINT32_RANGE = 0x1_0000_0000;
const SEED_WARMUP_ROUNDS = 12;

/** A deterministic source of random values; the same seed always yields the same sequence. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** One value chosen with probability proportional to its weight. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A shuffled copy; the input is left untouched. */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator named by a label; the same seed and label give the same stream. */
  fork(label: string): Random;
}

function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`random: ${message}`);
}

// splitmix32 spreads a small integer seed over the 128 bits of sfc32 state; feeding a seed
// such as 1 straight into sfc32 would give correlated first outputs.
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

// FNV-1a gives fork labels a stable 32-bit hash.
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i += 1) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function sfc32(seed: number): () => number {
  const expand = splitmix32(seed);
  let a = expand();
  let b = expand();
  let c = expand();
  let d = 1;
  const step = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < SEED_WARMUP_ROUNDS; i += 1) step();
  return step;
}

/** Creates a generator from a 32-bit integer seed. */
export function createRandom(seed: number): Random {
  assert(Number.isInteger(seed), "seed must be an integer");
  const nextUint32 = sfc32(seed);

  const next = (): number => nextUint32() / UINT32_RANGE;

  const int = (min: number, max: number): number => {
    assert(Number.isInteger(min) && Number.isInteger(max) && min <= max, `bad range ${min}..${max}`);
    return min + Math.floor(next() * (max - min + 1));
  };

  const pick = <T>(items: readonly T[]): T => {
    assert(items.length > 0, "cannot pick from an empty array");
    return items[int(0, items.length - 1)] as T;
  };

  const weighted = <T>(pairs: readonly (readonly [T, number])[]): T => {
    let total = 0;
    for (const [, weight] of pairs) {
      assert(weight >= 0 && Number.isFinite(weight), "weights must be finite and non-negative");
      total += weight;
    }
    assert(total > 0, "weights must not all be zero");
    let target = next() * total;
    for (const [value, weight] of pairs) {
      target -= weight;
      if (target < 0) return value;
    }
    // Rounding can leave a sliver past the last weight; the last positive entry takes it.
    const last = pairs.filter(([, weight]) => weight > 0).at(-1);
    assert(last !== undefined, "no positive weight");
    return last[0];
  };

  const chance = (p: number): boolean => next() < p;

  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = int(0, i);
      const held = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = held;
    }
    return copy;
  };

  // A fork depends only on the seed and the label, never on how many draws came before, so a
  // change in one part of the demo data leaves every other part as it was.
  const fork = (label: string): Random => createRandom(splitmix32(seed ^ hashLabel(label))() | 0);

  return { next, int, pick, weighted, chance, shuffle, fork };
}
