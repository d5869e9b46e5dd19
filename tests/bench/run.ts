/**
 * `bun run bench`: runs every `tests/bench/*.bench.ts` in its own process, one after another (so
 * they do not compete for the 2 cores), and prints their reports. Each bench prints medians and
 * ratios against a baseline it measures in the same run, and notes the machine.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { cpus, totalmem } from "node:os";

const dir = import.meta.dir;
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only === undefined || f.includes(only))
  .sort();

console.log(
  `machine: ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Bun ${Bun.version}, ${process.platform}`,
);
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const proc = Bun.spawnSync([process.execPath, join(dir, file)], {
    stdout: "inherit",
    stderr: "inherit",
    env: process.env,
  });
  if (proc.exitCode !== 0) {
    failed++;
    console.log(`!!! ${file} exited with ${proc.exitCode}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
