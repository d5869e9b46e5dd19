/** axe-core in real Chromium, shared by the kiosk's and the staff pages' end-to-end tests. */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
};

/** axe-core on the page as it stands; returns the serious and critical violations only. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => typeof (window as any).axe !== "undefined");
  if (!hasAxe) await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(async () => {
    // Colours read mid-transition (a button fading from disabled to enabled) are neither end's:
    // judge the page as it comes to rest. Endless animations (a spinner) are not waited for.
    const finite = document
      .getAnimations()
      .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity));
    await Promise.race([
      Promise.allSettled(finite.map((a) => a.finished)),
      new Promise((r) => setTimeout(r, 2000)),
    ]);
    const r = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => ({ target: n.target })),
    }));
  });
  return (result as AxeViolation[]).filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
}
