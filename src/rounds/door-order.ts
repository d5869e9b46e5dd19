/**
 * The order of a round's households: by door plate, as a scoring team walks the village. A
 * household's `door_key` (src/villages/door.ts) is the runs of digits of its address joined by "-"
 * (柳溪村3组27号 → "3-27"); keys are compared run by run as numbers, so 3组9号 comes before
 * 3组27号 and group 3 before group 10. Households whose address has no digits come last; ties go
 * by id (registration order). Pure.
 */

export type DoorPlated = { id: number; doorKey: string };

function runsOf(doorKey: string): number[] {
  return doorKey === "" ? [] : doorKey.split("-").map(Number);
}

export function compareDoorPlates(a: DoorPlated, b: DoorPlated): number {
  const x = runsOf(a.doorKey);
  const y = runsOf(b.doorKey);
  if (x.length === 0 || y.length === 0)
    return x.length === y.length ? a.id - b.id : x.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]! - y[i]!;
    if (d !== 0) return d;
  }
  return x.length - y.length || a.id - b.id;
}

/** A new array in door-plate order. */
export function inDoorPlateOrder<T extends DoorPlated>(rows: readonly T[]): T[] {
  return [...rows].sort(compareDoorPlates);
}
