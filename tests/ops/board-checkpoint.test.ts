/**
 * The public board shows the chain's last daily checkpoint (issue 17) in its footer and its JSON:
 * the day, the entry count and the head's first characters, so a printed board can be compared
 * with the chain later. Before the first checkpoint there is none to show.
 */
import { afterEach, expect, test } from "bun:test";
import { createHarness, type Harness } from "../support/harness.ts";
import { takeCheckpoint } from "../../src/ops/daily.ts";
import { readHead } from "../../src/ledger/verify.ts";
import { shanghaiDay } from "../../src/shared/calendar.ts";
import { DAY_MS } from "../../src/shared/clock.ts";

let h: Harness;
afterEach(() => h?.close());

test("the board's footer and JSON show the last checkpoint: its day, entry count and head", async () => {
  h = createHarness();
  const admin = await h.login("admin");
  const must = async (method: string, path: string, body?: unknown) => {
    const r = await h.json(method, path, { cookie: admin, body });
    if (r.status >= 300)
      throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const villageId = (await must("POST", "/api/villages", { name: "东河村", code: "DH" })).village
    .id as string;
  const householdId = (
    await must("POST", `/api/villages/${villageId}/households`, { headName: "张建华" })
  ).household.id as string;
  const ruleId = (
    await must("POST", `/api/villages/${villageId}/rules`, {
      code: "R1",
      title: "清扫",
      category: "environment",
      points: 5,
    })
  ).rule.id as string;
  for (let i = 0; i < 3; i++) await must("POST", "/api/entries", { householdId, ruleId });

  const before = await h.json("GET", `/api/public/villages/${villageId}/board`);
  expect(before.body.checkpoint).toBeNull();
  expect(await (await h.request("GET", `/board/${villageId}`)).text()).not.toContain(
    'class="checkpoint"',
  );

  const taken = await takeCheckpoint(h.db, h.clock.nowMs());
  expect(taken.kind).toBe("recorded");
  const head = readHead(h.db);
  const day = shanghaiDay(h.clock.nowMs());
  const board = await h.json("GET", `/api/public/villages/${villageId}/board`);
  expect(board.body.checkpoint).toEqual({ day, entries: head.seq, head: head.hash, today: true });
  const html = (await (await h.request("GET", `/board/${villageId}`)).text()).replace(
    /<bdi class="v">([^<]*)<\/bdi>/g,
    "$1",
  );
  const grouped = head.hash.slice(0, 16).replace(/(.{4})(?!$)/g, "$1 ");
  expect(html).toContain(`账本核对点 ${day}：${head.seq} 条，指纹 ${grouped}`);
  const ug = (
    await (
      await h.request("GET", `/board/${villageId}`, { headers: { "accept-language": "ug" } })
    ).text()
  ).replace(/<bdi class="v">([^<]*)<\/bdi>/g, "$1");
  expect(ug).toContain(`تەكشۈرۈش نۇقتىسى ${day}`);

  // The next day, before that day's checkpoint: the board still shows the last one, not as today's.
  await must("POST", "/api/entries", { householdId, ruleId });
  h.clock.advance(DAY_MS);
  const later = await h.json("GET", `/api/public/villages/${villageId}/board`);
  expect(later.body.checkpoint).toMatchObject({ day, entries: head.seq, today: false });
});
