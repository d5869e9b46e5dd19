/**
 * Compression (issue 17): (1) the bytes a browser fetches for the kiosk's and the staff pages'
 * first load in identity, gzip and brotli, as the server serves them (compressed once, when the
 * bundle is built); (2) what the JSON middleware (src/ops/compress.ts) costs an answer: a
 * sale-sized answer under 1 KB (read, then passed on as it is) and a 50 KB list (gzipped), each
 * against the same app without the middleware in the same run, five interleaved runs, medians.
 *
 *   bun tests/bench/compression.bench.ts      (or: bun run bench compression)
 */
import { Hono } from "hono";
import { cpus } from "node:os";
import { compressAnswers } from "../../src/ops/compress.ts";
import { createHarness } from "../support/harness.ts";

console.log(
  `machine: ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, Bun ${Bun.version}, load average ${
    (
      await Bun.file("/proc/loadavg")
        .text()
        .catch(() => "?")
    ).split(" ")[0]
  }`,
);

const h = createHarness({ file: false });
for (const base of ["/kiosk/", "/admin/"]) {
  const html = await (await h.request("GET", base)).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/(?:kiosk|admin)\/assets\/[^"]+)"/g)].map(
    (m) => m[1]!,
  );
  const paths = [
    base,
    ...assets,
    ...(base === "/kiosk/" ? ["/kiosk/assets/zxing_reader.wasm"] : []),
  ];
  const size = async (encoding: string | null) => {
    let total = 0;
    for (const p of paths)
      total += (
        await (
          await h.request("GET", p, {
            headers: encoding === null ? {} : { "accept-encoding": encoding },
          })
        ).arrayBuffer()
      ).byteLength;
    return total;
  };
  const [identity, gzip, br] = [await size(null), await size("gzip"), await size("br, gzip")];
  console.log(
    `${base} first load (${paths.length} files${base === "/kiosk/" ? ", the barcode reader included" : ""}): identity ${kb(identity)}, gzip ${kb(gzip)}, brotli ${kb(br)} (${((br / identity) * 100).toFixed(0)} %)`,
  );
}
h.close();

const sale = {
  id: "1234",
  receiptNo: 42,
  totalPoints: 90,
  balanceAfter: 910,
  household: { id: "7", headName: "王大明" },
  items: [{ goodsId: "1", name: "大米 5kg", quantity: 3, pricePoints: 30 }],
  createdAt: new Date(0).toISOString(),
  note: "x".repeat(300),
};
const list = {
  items: Array.from({ length: 200 }, (_, i) => ({
    id: String(i),
    kind: "award",
    points: 5,
    note: `庭院整洁 第${i}次`,
    occurredOn: "2026-12-04",
    createdBy: "a_clerk",
    hash: "ab".repeat(32),
  })),
};
const appOf = (withMiddleware: boolean) => {
  const app = new Hono();
  if (withMiddleware) app.use(compressAnswers());
  app.post("/sale", (c) => c.json(sale, 201));
  app.get("/list", (c) => c.json(list));
  return app;
};
const plain = appOf(false);
const compressed = appOf(true);
const headers = { "accept-encoding": "gzip, deflate, br, zstd" };
async function perAnswerUs(app: Hono, method: string, path: string, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++)
    await (await app.fetch(new Request(`http://x${path}`, { method, headers }))).arrayBuffer();
  return ((performance.now() - t0) * 1000) / n;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [label, method, path, n, bytes] of [
  ["a sale's answer", "POST", "/sale", 20_000, JSON.stringify(sale).length],
  ["a list of 200 entries", "GET", "/list", 2_000, JSON.stringify(list).length],
] as const) {
  await perAnswerUs(plain, method, path, n / 4);
  await perAnswerUs(compressed, method, path, n / 4);
  const base: number[] = [];
  const withMw: number[] = [];
  for (let run = 0; run < 5; run++) {
    base.push(await perAnswerUs(plain, method, path, n));
    withMw.push(await perAnswerUs(compressed, method, path, n));
  }
  const wire = (
    await (
      await compressed.fetch(new Request(`http://x${path}`, { method, headers }))
    ).arrayBuffer()
  ).byteLength;
  console.log(
    `${label} (${bytes} B, ${wire} B on the wire): without the middleware ${base.map((x) => x.toFixed(1)).join(" ")} µs, median ${median(base).toFixed(1)}; with it ${withMw.map((x) => x.toFixed(1)).join(" ")} µs, median ${median(withMw).toFixed(1)}; +${(median(withMw) - median(base)).toFixed(1)} µs an answer`,
  );
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}
