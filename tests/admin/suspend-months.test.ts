/** The suspension field of a rule and a template form, read the same way by both. Pure. */
import { expect, test } from "bun:test";
import { SUSPEND_MONTHS_MAX, suspendMonthsOf } from "../../admin/logic/rules.ts";

test("a deduction sends the whole months typed, from 1 to the maximum; anything else is not valid", () => {
  expect(suspendMonthsOf("6", true)).toEqual({ months: 6, valid: true });
  expect(suspendMonthsOf(" 1 ", true)).toEqual({ months: 1, valid: true });
  expect(suspendMonthsOf(String(SUSPEND_MONTHS_MAX), true)).toEqual({ months: 24, valid: true });
  for (const text of ["0", "25", "1.5", "-3", "abc"])
    expect(suspendMonthsOf(text, true).valid).toBe(false);
});

test("an empty field, or an award, sends none and is valid", () => {
  expect(suspendMonthsOf("", true)).toEqual({ months: null, valid: true });
  expect(suspendMonthsOf("  ", true)).toEqual({ months: null, valid: true });
  expect(suspendMonthsOf("6", false)).toEqual({ months: null, valid: true });
  expect(suspendMonthsOf("abc", false)).toEqual({ months: null, valid: true });
});
