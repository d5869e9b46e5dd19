/** Shared set-up for the ledger tests: two villages, households and rules through the real API. */
import { seedTwoVillages, type Harness } from "./harness.ts";

export type LedgerSeed = Awaited<ReturnType<typeof seedLedger>>;

export async function seedLedger(
  h: Harness,
  settings: { noticeDays?: number; requireApproval?: boolean } = {},
) {
  const s = await seedTwoVillages(h);
  const ok = <T>(r: { status: number; body: T }, expected: number): T => {
    if (r.status !== expected)
      throw new Error(`expected ${expected}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  if (settings.noticeDays !== undefined || settings.requireApproval !== undefined) {
    ok(
      await h.json("PATCH", `/api/villages/${s.villageA.id}`, { cookie: s.admin, body: settings }),
      200,
    );
  }
  const household = async (villageId: string, headName: string, members: { name: string }[] = []) =>
    ok(
      await h.json("POST", `/api/villages/${villageId}/households`, {
        cookie: s.admin,
        body: { headName, members },
      }),
      201,
    ).household as { id: string; members: { id: string; name: string }[] };
  const rule = async (villageId: string, body: Record<string, unknown>) =>
    ok(await h.json("POST", `/api/villages/${villageId}/rules`, { cookie: s.admin, body }), 201)
      .rule as { id: string; code: string };
  const h1 = await household(s.villageA.id, "张建华", [{ name: "张小明" }]);
  const h2 = await household(s.villageA.id, "李秀英");
  const hB = await household(s.villageB.id, "王大山");
  const clean = await rule(s.villageA.id, {
    code: "ENV-1",
    title: "庭院整洁",
    category: "environment",
    points: 5,
  });
  const capped = await rule(s.villageA.id, {
    code: "VOL-1",
    title: "参加志愿服务",
    category: "volunteer",
    points: 10,
    monthlyCap: 20,
  });
  const litter = await rule(s.villageA.id, {
    code: "ENV-9",
    title: "乱倒垃圾",
    category: "environment",
    points: -3,
  });
  const ruleB = await rule(s.villageB.id, {
    code: "ENV-1",
    title: "庭院整洁",
    category: "environment",
    points: 5,
  });
  return { ...s, h1, h2, hB, clean, capped, litter, ruleB, household, rule };
}
