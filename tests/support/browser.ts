/**
 * Real Chromium for end-to-end tests, driven by playwright-core. Where /usr/bin/chromium is
 * missing the browser tests say so loudly and skip; under CI=true a missing Chromium fails them.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "bun:test";
import { chromium, type Browser, type LaunchOptions } from "playwright-core";

export const CHROMIUM_PATH = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const SCREENSHOT_DIR = join(import.meta.dir, "..", "e2e", "screenshots");

export const chromiumAvailable = existsSync(CHROMIUM_PATH);

if (!chromiumAvailable) {
  const message = `\n!!! Chromium not found at ${CHROMIUM_PATH}: browser tests are SKIPPED. Install it with: apt-get install -y chromium fonts-noto-cjk\n`;
  if (process.env["CI"] === "true")
    throw new Error(`${message}CI=true: a missing Chromium is a failure.`);
  console.warn(message);
}

export async function launchChromium(
  extraArgs: string[] = [],
  options: LaunchOptions = {},
): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
    ...options,
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}

export const VIEWPORTS = {
  tabletLandscape: { width: 1280, height: 800 },
  tabletPortrait: { width: 800, height: 1280 },
  phone: { width: 390, height: 844 },
} as const;

/**
 * playwright-core run under Bun sometimes loses its own bookkeeping of a network object and
 * throws "Object with guid response@… was not bound in the connection" from deep in its wire
 * protocol (seen about once in three full runs, on a different kiosk test each time). That is the
 * test driver failing, not the kiosk: such a test is run once more, from the start, and the retry
 * is said loudly on stderr. Any other failure fails at once, and so does a second wire failure.
 */
export const PLAYWRIGHT_WIRE_ERROR = /Object with guid \S+ was not bound in the connection/;

export function browserTest(
  name: string,
  body: () => void | Promise<void>,
  timeoutMs: number,
): void {
  test.skipIf(!chromiumAvailable)(
    name,
    async () => {
      try {
        await body();
      } catch (error) {
        if (!(error instanceof Error) || !PLAYWRIGHT_WIRE_ERROR.test(error.message)) throw error;
        console.error(
          `\n!!! playwright wire error in "${name}": ${error.message}\n!!! running the test once more from the start\n`,
        );
        await body();
      }
    },
    timeoutMs * 2,
  );
}

/**
 * A tap's click reaches the page after `tap()` returns (the browser makes it from the touch end),
 * so what a tap changes is read by polling: `read` again every 50 ms until `accept` takes it or
 * `timeoutMs` passes. Returns the last value read, for the caller's own expect() to judge; a
 * change that never comes still fails there, with the value the page really shows.
 */
export async function settled<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 3000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
