// The round grid's unsent scores: every tap is kept here (in localStorage, per round) until the
// server has it, so nothing is lost when the tablet sleeps or the network drops. A cell's latest
// tap replaces an earlier one that has not gone yet; taps go out one at a time, oldest first.

export type PendingScore = {
  householdId: string;
  ruleId: string;
  quantity: number;
  evidenceId: string | null;
  note: string | null;
};

export const cellKey = (householdId: string, ruleId: string): string => `${householdId}:${ruleId}`;

/** Adds a tap, replacing the same cell's unsent one (and keeping the cell's place in line). Pure. */
export function enqueue(queue: readonly PendingScore[], score: PendingScore): PendingScore[] {
  const key = cellKey(score.householdId, score.ruleId);
  const at = queue.findIndex((s) => cellKey(s.householdId, s.ruleId) === key);
  if (at === -1) return [...queue, score];
  const next = [...queue];
  next[at] = score;
  return next;
}

/** Removes a sent score, unless the cell was tapped again meanwhile (then the newer one stays). Pure. */
export function acknowledge(queue: readonly PendingScore[], sent: PendingScore): PendingScore[] {
  return queue.filter(
    (s) =>
      !(
        cellKey(s.householdId, s.ruleId) === cellKey(sent.householdId, sent.ruleId) &&
        s.quantity === sent.quantity &&
        s.evidenceId === sent.evidenceId &&
        s.note === sent.note
      ),
  );
}

/** The grid as the person sees it: the server's scores with the unsent taps laid over them. Pure. */
export function overlay<T extends { householdId: string; ruleId: string; quantity: number }>(
  server: readonly T[],
  queue: readonly PendingScore[],
): Map<string, number> {
  const cells = new Map<string, number>();
  for (const s of server) cells.set(cellKey(s.householdId, s.ruleId), s.quantity);
  for (const s of queue) cells.set(cellKey(s.householdId, s.ruleId), s.quantity);
  return cells;
}

const storeKey = (roundId: string) => `jifen.admin.round.${roundId}`;

export function loadQueue(roundId: string): PendingScore[] {
  try {
    const raw = localStorage.getItem(storeKey(roundId));
    return raw === null ? [] : (JSON.parse(raw) as PendingScore[]);
  } catch {
    return [];
  }
}

export function saveQueue(roundId: string, queue: readonly PendingScore[]): void {
  try {
    if (queue.length === 0) localStorage.removeItem(storeKey(roundId));
    else localStorage.setItem(storeKey(roundId), JSON.stringify(queue));
  } catch {
    // Storage full or off: the taps still go out while the page is open.
  }
}
