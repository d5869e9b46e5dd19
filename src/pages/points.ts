/** Points as the pages show them: a sign on every non-zero figure (+5, -3, 0). */
export function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}
