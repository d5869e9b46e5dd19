// Staff sign-in on the kiosk by name and PIN (src/auth/pin-routes.ts): the village's staff who have
// a PIN, to tap by name, and the sign-in that opens their staff session on this kiosk, the same
// session a password sign-in opens.
import { batch } from "@preact/signals";
import { parseUser } from "../api-types.ts";
import { request } from "../../ui/http.ts";
import { screen, staffUser, token } from "./store.ts";

export interface StaffName {
  id: string;
  displayName: string;
}

export function parseStaffNames(v: unknown): StaffName[] | null {
  if (typeof v !== "object" || v === null || !Array.isArray((v as { items?: unknown }).items))
    return null;
  const out: StaffName[] = [];
  for (const item of (v as { items: unknown[] }).items) {
    if (typeof item !== "object" || item === null) continue;
    const { id, displayName } = item as { id?: unknown; displayName?: unknown };
    if (typeof id === "string" && typeof displayName === "string") out.push({ id, displayName });
  }
  return out;
}

/** The names to tap; null when the server could not be asked (the password form still works). */
export async function loadStaffNames(): Promise<StaffName[] | null> {
  const r = await request("/api/kiosk/staff", { token: token.value });
  return r.kind === "response" && r.status === 200 ? parseStaffNames(r.body) : null;
}

export type PinLoginResult = "ok" | "wrong-pin" | "rate-limited" | "failed";

export async function staffPinLogin(userId: string, pin: string): Promise<PinLoginResult> {
  const r = await request("/api/kiosk/staff-login", {
    method: "POST",
    token: token.value,
    body: { userId, pin },
  });
  if (r.kind !== "response") return "failed";
  if (r.status === 429) return "rate-limited";
  const code =
    typeof r.body === "object" && r.body !== null ? (r.body as { code?: unknown }).code : undefined;
  if ((r.status === 401 && code === "wrong-pin") || r.status === 400) return "wrong-pin";
  const user = r.status === 200 ? parseUser(r.body) : null;
  if (user === null) return "failed";
  batch(() => {
    staffUser.value = user;
    screen.value = "staff";
  });
  return "ok";
}
