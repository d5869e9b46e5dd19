/**
 * The auth routes' HTTP adapter: a use case's refusal becomes the problem the client reads, and
 * the guards every handler shares (a staff member or a kiosk signed in, a throttle's wait) answer
 * 401 and 429 here rather than in each handler.
 */
import type { Context } from "hono";
import { setCookie } from "hono/cookie";
import { failureToProblem } from "../http/failure.ts";
import { ProblemError } from "../http/problem.ts";
import { fail } from "../shared/result.ts";
import { SECOND_MS } from "../shared/clock.ts";
import type { Principal } from "./principal.ts";
import type { AuthFailure, AuthResult } from "./refusal.ts";
import { SESSION_COOKIE, SESSION_IDLE_MS } from "./sessions.ts";

export type StaffPrincipal = Extract<Principal, { kind: "user" }>;
export type KioskPrincipal = Extract<Principal, { kind: "kiosk" }>;

function refusalProblem(failure: AuthFailure): ProblemError {
  // The status of a shared reason is failureToProblem's; only sign-in's own reason is 401.
  const status =
    failure.reason === "unauthenticated"
      ? 401
      : failureToProblem(fail(failure.reason, failure.detail)).status;
  return new ProblemError(
    status,
    failure.reason,
    failure.detail,
    failure.errors,
    undefined,
    failure.because,
  );
}

/** A use case's value, or the problem a client reads. */
export function unwrap<T>(result: AuthResult<T>): T {
  if (result.ok) return result.value;
  throw refusalProblem(result);
}

/** The signed-in staff member; the route table lets only staff in, so anything else is 401. */
export function signedInStaff(principal: Principal | null): StaffPrincipal {
  if (principal?.kind !== "user") throw new ProblemError(401, "unauthenticated", "Sign in first.");
  return principal;
}

/** The paired kiosk making the request; the route table lets only kiosks in, so anything else is 401. */
export function pairedKiosk(principal: Principal | null): KioskPrincipal {
  if (principal?.kind !== "kiosk")
    throw new ProblemError(401, "unauthenticated", "Only a paired kiosk may ask this.");
  return principal;
}

/** A try a throttle refused before any password or PIN was hashed: 429 with Retry-After. */
export function refuseWhenWaiting<T extends object>(
  tried: T | { waitMs: number },
  detail: string,
): asserts tried is Exclude<T, { waitMs: number }> {
  if ("waitMs" in tried)
    throw new ProblemError(429, "rate-limited", detail, undefined, {
      "retry-after": String(Math.ceil(tried.waitMs / SECOND_MS)),
    });
}

/** The session cookie that a sign-in (by password or PIN) and a password change answer with. */
export function setSessionCookie(c: Context, token: string, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure,
    path: "/",
    maxAge: SESSION_IDLE_MS / SECOND_MS,
  });
}
