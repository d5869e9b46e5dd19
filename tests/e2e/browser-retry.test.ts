/**
 * Proves the browser tests' retry: a Playwright wire error runs the test body once more (a body
 * that records its calls). Any other error is rethrown at once by the same code path.
 */
import { expect, test } from "bun:test";
import { browserTest, chromiumAvailable } from "../support/browser.ts";

let wireCalls = 0;
browserTest(
  "a body that hits the Playwright wire error once passes on its second run",
  () => {
    wireCalls++;
    if (wireCalls === 1)
      throw new Error("Object with guid response@0123abcd was not bound in the connection");
  },
  1000,
);

test.skipIf(!chromiumAvailable)("the wire error ran the body exactly twice", () => {
  expect(wireCalls).toBe(2);
});
