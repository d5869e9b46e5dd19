/**
 * Two villages with their staff signed in, seeded once per test file into a template database;
 * each test gets its own copy (sessions and all) behind a new app. Signing in hashes passwords
 * with argon2id, slow on purpose, so seeding each test afresh would dominate the run.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHarness, seedTwoVillages, type Harness } from "./harness.ts";

export type Township = Awaited<ReturnType<typeof seedTwoVillages>>;

let template: { file: string; world: Township } | null = null;

export async function freshTownship(): Promise<{ h: Harness; s: Township }> {
  if (template === null) {
    const seeded = createHarness();
    const world = await seedTwoVillages(seeded);
    const file = join(mkdtempSync(join(tmpdir(), "jifen-template-")), "template.db");
    seeded.db.run(`VACUUM INTO '${file}'`);
    seeded.close();
    template = { file, world };
  }
  return { h: createHarness({ template: template.file }), s: template.world };
}

export function userId(h: Harness, username: string): string {
  return String(
    h.db.query<{ id: number }, [string]>("SELECT id FROM users WHERE username = ?").get(username)!
      .id,
  );
}
