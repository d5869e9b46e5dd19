/**
 * The resident side over real HTTP on a real database (the browser's view is in
 * tests/e2e/resident-uyghur.test.ts): which language a card page and the board speak (the
 * reader's choice remembered in a cookie, the phone's first language, the village's default),
 * Uyghur numbers and dates as the kiosk writes them, this month's points and the star tier, and
 * the history paged back by cursor to the first entry. Time stands on a manual clock.
 */
import { afterEach, expect, test } from "bun:test";
import { createHarness, type Harness } from "../support/harness.ts";
import { residentLocale } from "../../src/i18n/catalog.ts";
import { dayText, figure, minuteText, signed } from "../../src/pages/points.ts";
import { formatDateTime } from "../../ui/format.ts";
import { PUBLIC_RECENT_LIMIT } from "../../src/villages/public-card.ts";

let h: Harness;
afterEach(() => h?.close());

type World = {
  admin: string;
  villageId: string;
  householdId: string;
  token: string;
  rule: (points: number) => Promise<string>;
};

async function world(): Promise<World> {
  h = createHarness();
  const admin = await h.login("admin");
  const must = async (method: string, path: string, body?: unknown) => {
    const r = await h.json(method, path, { cookie: admin, body });
    if (r.status >= 300)
      throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const villageId = (await must("POST", "/api/villages", { name: "东河村", code: "DH" })).village
    .id;
  const householdId = (
    await must("POST", `/api/villages/${villageId}/households`, { headName: "张建华" })
  ).household.id;
  const token = (await must("POST", `/api/households/${householdId}/cards`)).token;
  let code = 0;
  const rule = async (points: number) =>
    (
      await must("POST", `/api/villages/${villageId}/rules`, {
        code: `R${++code}`,
        title: `规则 ${points}`,
        category: "other",
        points,
      })
    ).rule.id as string;
  return { admin, villageId, householdId, token, rule };
}

async function award(w: World, ruleId: string, occurredOn?: string): Promise<string> {
  const r = await h.json("POST", "/api/entries", {
    cookie: w.admin,
    body: {
      householdId: w.householdId,
      ruleId,
      ...(occurredOn === undefined ? {} : { occurredOn }),
    },
  });
  if (r.status !== 201) throw new Error(`award → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.entry.id;
}

const page = (path: string, headers: Record<string, string> = {}) =>
  h.request("GET", path, { headers });
/** A page's HTML with the <bdi> around each message's values taken away, so its words read as text. */
const htmlOf = async (path: string, headers: Record<string, string> = {}) =>
  (await (await page(path, headers)).text()).replace(/<bdi class="v">([^<]*)<\/bdi>/g, "$1");
const htmlLang = (html: string) => /<html lang="([^"]+)" dir="([^"]+)"/.exec(html)?.slice(1);

test.each([
  [{ chosen: "ug", acceptLanguage: "zh-CN,zh;q=0.9", villageDefault: "zh-CN" }, "ug"],
  [{ chosen: "xx", acceptLanguage: "ug-CN,ug;q=0.9", villageDefault: "zh-CN" }, "ug"],
  [{ chosen: undefined, acceptLanguage: "zh-CN,zh;q=0.9", villageDefault: "ug" }, "zh-CN"],
  [{ chosen: undefined, acceptLanguage: "en-US,en;q=0.9,ug;q=0.8", villageDefault: "ug" }, "ug"],
  [
    { chosen: undefined, acceptLanguage: "en-US,en;q=0.9,ug;q=0.8", villageDefault: "zh-CN" },
    "zh-CN",
  ],
  [{ chosen: undefined, acceptLanguage: undefined, villageDefault: null }, "zh-CN"],
  [{ chosen: "en", acceptLanguage: "ug", villageDefault: "ug" }, "en"],
] as const)("residentLocale(%o) is %s", (input, expected) => {
  expect(residentLocale(input)).toBe(expected);
});

test("Uyghur figures and dates are the kiosk's: grouped Latin digits, the true minus, days in words", () => {
  expect(figure(12345, "ug")).toBe("12,345");
  expect(signed(-3, "ug")).toBe("\u22123");
  expect(signed(1200, "ug")).toBe("+1,200");
  expect(signed(-3, "zh-CN")).toBe("-3");
  expect(dayText("2026-03-04", "ug")).toBe("2026-يىلى 3-ئاينىڭ 4-كۈنى");
  // The day is the kiosk's receipt time without its time of day.
  const at = Date.UTC(2026, 2, 4, 6, 5); // 14:05 in Shanghai
  expect(minuteText(at, "ug")).toBe(
    formatDateTime({ year: 2026, month: 3, day: 4, hour: 14, minute: 5 }, "ug"),
  );
  expect(minuteText(at, "ug").startsWith(dayText("2026-03-04", "ug"))).toBe(true);
  expect(minuteText(at, "zh-CN")).toBe("2026-03-04 14:05");
});

test("the village's default language, then the phone's first language, decides; names stay in <bdi>", async () => {
  const w = await world();
  expect(htmlLang(await htmlOf(`/c/${w.token}`))).toEqual(["zh-CN", "ltr"]);
  expect(
    htmlLang(await htmlOf(`/c/${w.token}`, { "accept-language": "ug-CN,ug;q=0.9,zh;q=0.8" })),
  ).toEqual(["ug", "rtl"]);
  expect(
    (
      await h.json("PATCH", `/api/villages/${w.villageId}`, {
        cookie: w.admin,
        body: { defaultLanguage: "ug" },
      })
    ).body.village.defaultLanguage,
  ).toBe("ug");
  const ug = await htmlOf(`/c/${w.token}`, { "accept-language": "en-US,en;q=0.9" });
  expect(htmlLang(ug)).toEqual(["ug", "rtl"]);
  expect(ug).toContain("ئىشلەتكىلى بولىدىغان نومۇر");
  expect(ug).toContain("<bdi>张*华</bdi>");
  expect(htmlLang(await htmlOf(`/c/${w.token}`, { "accept-language": "zh-CN" }))).toEqual([
    "zh-CN",
    "ltr",
  ]);
  expect(
    (
      await h.json("PATCH", `/api/villages/${w.villageId}`, {
        cookie: w.admin,
        body: { defaultLanguage: "kk" },
      })
    ).status,
  ).toBe(400);
});

test("the switch is a link that remembers the choice in a cookie and comes back to the same page", async () => {
  const w = await world();
  const html = await htmlOf(`/c/${w.token}`);
  expect(html).toContain(`href="/c/${w.token}?lang=ug"`);
  const res = await page(`/c/${w.token}?lang=ug&before=99`);
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe(`/c/${w.token}?before=99`);
  const cookie = res.headers.get("set-cookie")!;
  expect(cookie).toMatch(/^jifen_lang=ug;/);
  expect(cookie).toContain("Path=/");
  expect(cookie).toMatch(/Max-Age=\d{7,}/);
  const again = await htmlOf(`/c/${w.token}`, {
    cookie: cookie.split(";")[0]!,
    "accept-language": "zh-CN",
  });
  expect(htmlLang(again)).toEqual(["ug", "rtl"]);
  // The same cookie holds on the board, and on the friendly 404.
  expect(
    htmlLang(await htmlOf(`/board/${w.villageId}`, { cookie: cookie.split(";")[0]! })),
  ).toEqual(["ug", "rtl"]);
  const missing = await page(`/c/${"A".repeat(30)}`, { cookie: cookie.split(";")[0]! });
  expect(missing.status).toBe(404);
  expect(await missing.text()).toContain("بۇ نومۇر كارتىسى تېپىلمىدى");
  // A language the pages do not speak is no choice: the page is shown as it is.
  expect((await page(`/c/${w.token}?lang=fr`)).status).toBe(200);
});

test("this month's points earned and spent, the honour score and the star tier it reaches", async () => {
  const w = await world();
  await h.json("PATCH", `/api/villages/${w.villageId}`, {
    cookie: w.admin,
    body: { starThresholds: [50, 100, 200] },
  });
  const ten = await w.rule(10);
  const thirty = await w.rule(30);
  const minus = await w.rule(-5);
  await award(w, thirty, "2026-02-20"); // last month: the year's, not the month's
  await award(w, thirty, "2026-02-21");
  await award(w, thirty, "2026-02-22");
  for (let i = 0; i < 4; i++) await award(w, ten); // 40 this month
  await award(w, minus); // −5
  const goods = (
    await h.json("POST", `/api/villages/${w.villageId}/goods`, {
      cookie: w.admin,
      body: { name: "香皂", pricePoints: 4, stock: 10 },
    })
  ).body.goods;
  const kiosk = (
    await h.json("POST", `/api/villages/${w.villageId}/kiosks`, {
      cookie: w.admin,
      body: { name: "一号机" },
    })
  ).body.token;
  const sell = (quantity: number) =>
    h.json("POST", "/api/redemptions", {
      token: kiosk,
      headers: { "idempotency-key": crypto.randomUUID() },
      body: { cardToken: w.token, items: [{ goodsId: goods.id, quantity }] },
    });
  expect((await sell(3)).status).toBe(201); // 12
  const voided = (await sell(1)).body.id; // 4, then voided
  expect(
    (
      await h.json("POST", `/api/redemptions/${voided}/void`, {
        cookie: w.admin,
        body: { reason: "顾客不要了" },
      })
    ).status,
  ).toBe(201);

  const view = (await h.json("GET", `/api/public/cards/${w.token}`)).body;
  expect(view.thisMonth).toEqual({ earned: 35, spent: 12 });
  expect(view.yearEarned).toBe(125);
  expect(view.balance).toBe(125 - 12);
  // The honour score: every award less the deduction, never the sale.
  expect(view.honourScore).toBe(125);
  expect(view.star).toBe(2);
  const zh = await htmlOf(`/c/${w.token}`);
  expect(zh).toContain("本月积分");
  expect(zh).toContain("可用积分");
  expect(zh).toContain("荣誉积分");
  expect(zh).toContain("2 星（共 3 星）");
  expect(zh).toContain("荣誉积分再得 75 分，升到 3 星");
  const ug = await htmlOf(`/c/${w.token}`, { "accept-language": "ug" });
  expect(ug).toContain("2 يۇلتۇز (3 يۇلتۇزدىن)");
  expect(ug).toContain("<bdi>+35</bdi>");
});

test("the history pages back by cursor to the first entry, on the page and in the JSON", async () => {
  const w = await world();
  const rule = await w.rule(1);
  const ids: string[] = [];
  const count = 2 * PUBLIC_RECENT_LIMIT + 5;
  for (let i = 0; i < count; i++) ids.push(await award(w, rule));
  // JSON: newest first, a cursor per page, none after the first entry.
  const seen: string[] = [];
  let before: string | null = "";
  for (let pages = 0; before !== null; pages++) {
    expect(pages).toBeLessThan(5);
    const body: { recent: { id: string }[]; olderBefore: string | null } = (
      await h.json("GET", `/api/public/cards/${w.token}${before === "" ? "" : `?before=${before}`}`)
    ).body;
    seen.push(...body.recent.map((e) => e.id));
    before = body.olderBefore;
  }
  expect(seen).toEqual([...ids].reverse());
  // The page: the same walk by its links.
  let path: string | null = `/c/${w.token}`;
  const shown: number[] = [];
  let last = "";
  while (path !== null) {
    last = await htmlOf(path);
    shown.push((last.match(/<li><div class="what">/g) ?? []).length);
    path =
      /<a class="more" rel="next" href="([^"]+)"/.exec(last)?.[1]?.replaceAll("&amp;", "&") ?? null;
  }
  expect(shown).toEqual([PUBLIC_RECENT_LIMIT, PUBLIC_RECENT_LIMIT, 5]);
  expect(last).toContain("以上是第一条记录");
  expect(last).toContain(`href="/c/${w.token}"`);
  // A cursor that is no id is no error: the newest page.
  expect((await page(`/c/${w.token}?before=abc`)).status).toBe(200);
  expect((await h.json("GET", `/api/public/cards/${w.token}?before=abc`)).status).toBe(400);
});

test("an objection sent from a Uyghur page is answered in Uyghur", async () => {
  const w = await world();
  await h.json("PATCH", `/api/villages/${w.villageId}`, {
    cookie: w.admin,
    body: { noticeDays: 3, defaultLanguage: "ug" },
  });
  const entry = await award(w, await w.rule(10));
  const bad = await h.request("POST", `/c/${w.token}/objections`, {
    raw: `entryId=${entry}&reason=`,
    contentType: "application/x-www-form-urlencoded",
  });
  expect(bad.status).toBe(400);
  const html = await bad.text();
  expect(htmlLang(html)).toEqual(["ug", "rtl"]);
  expect(html).toContain("سەۋەبىنى يېزىڭ، كۆپ بولسا 500 ھەرپ.");
  const good = await h.request("POST", `/c/${w.token}/objections`, {
    raw: `entryId=${entry}&reason=${encodeURIComponent("ئۇ كۈنى كەلمىگەن")}`,
    contentType: "application/x-www-form-urlencoded",
  });
  expect(good.status).toBe(303);
  const after = await htmlOf(good.headers.get("location")!);
  expect(after).toContain('role="status"');
  expect(after).toContain("ئېتىرازىڭىز يوللاندى");
  expect(after).toContain("ئېتىراز بار، كەنت كومىتېتى قايتا تەكشۈرىدۇ");
});

test("the board speaks the village's default language, with Uyghur figures", async () => {
  const w = await world();
  await award(w, await w.rule(1200));
  await h.json("PATCH", `/api/villages/${w.villageId}`, {
    cookie: w.admin,
    body: { defaultLanguage: "ug" },
  });
  const html = await htmlOf(`/board/${w.villageId}?panel=3`);
  expect(htmlLang(html)).toEqual(["ug", "rtl"]);
  expect(html).toContain("كەنت ئىشلىرى ئاشكارىلاش تاختىسى");
  expect(html).toContain("<bdi>1,200</bdi>");
  expect(html).toContain("<bdi>张*华</bdi>");
  expect(html).toContain("2026-يىلى 3-ئاي");
  const missing = await page("/board/999999", { "accept-language": "ug" });
  expect(missing.status).toBe(404);
  expect(await missing.text()).toContain("بۇ كەنتنىڭ ئاشكارىلاش تاختىسى تېپىلمىدى");
});

test("the Uyghur pages load their font from the project, and a Chinese page does not", async () => {
  const w = await world();
  const ug = await htmlOf(`/c/${w.token}?`, { "accept-language": "ug" });
  const font = /url\((\/fonts\/[^)]+\.woff2)\)/.exec(ug)?.[1];
  expect(font).toBeDefined();
  const res = await page(font!);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("font/woff2");
  expect((await page("/fonts/nothing.woff2")).status).toBe(404);
  expect(await htmlOf(`/c/${w.token}`)).not.toContain("@font-face");
});

test("a Uyghur village's printed card says what its code is for in Uyghur and Chinese; a Chinese village's in Chinese", async () => {
  const w = await world();
  const sheet = async () =>
    (
      await h.request("GET", `/api/villages/${w.villageId}/cards/print`, { cookie: w.admin })
    ).text();
  const zh = await sheet();
  expect(zh).toContain(`<div class="hint">扫码查积分</div>`);
  expect(zh).not.toContain("سكانېرلاپ");
  await h.json("PATCH", `/api/villages/${w.villageId}`, {
    cookie: w.admin,
    body: { defaultLanguage: "ug" },
  });
  const ug = await sheet();
  expect(ug).toContain(
    `<div class="hint" lang="ug" dir="rtl">سكانېرلاپ نومۇرىڭىزنى كۆرۈڭ</div><div class="hint">扫码查积分</div>`,
  );
});

test("the 58 mm receipt of a Uyghur village reads right to left, with the kiosk's figures and time", async () => {
  const w = await world();
  await award(w, await w.rule(2000));
  await h.json("PATCH", `/api/villages/${w.villageId}`, {
    cookie: w.admin,
    body: { defaultLanguage: "ug" },
  });
  const goods = (
    await h.json("POST", `/api/villages/${w.villageId}/goods`, {
      cookie: w.admin,
      body: { name: "大米 5kg", pricePoints: 1200, stock: 5 },
    })
  ).body.goods;
  const kiosk = (
    await h.json("POST", `/api/villages/${w.villageId}/kiosks`, {
      cookie: w.admin,
      body: { name: "一号机" },
    })
  ).body.token;
  const sale = await h.json("POST", "/api/redemptions", {
    token: kiosk,
    headers: { "idempotency-key": crypto.randomUUID() },
    body: { cardToken: w.token, items: [{ goodsId: goods.id, quantity: 1 }] },
  });
  expect(sale.status).toBe(201);
  const html = await (
    await h.request("GET", `/api/redemptions/${sale.body.id}/receipt`, { cookie: w.admin })
  ).text();
  expect(htmlLang(html)).toEqual(["ug", "rtl"]);
  expect(html).toContain("نومۇر ماركېتى تالونى");
  expect(html).toContain("<bdi>1,200</bdi>");
  expect(html).toContain("<bdi>800</bdi>");
  expect(html).toContain(`<bdi>${minuteText(Date.parse(sale.body.createdAt), "ug")}</bdi>`);
  expect(html).toContain("<bdi>张*华</bdi>");
});
