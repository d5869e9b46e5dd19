export type StaffRole = "township_admin" | "village_admin" | "clerk";
export type Actor = StaffRole | "kiosk";

export const STAFF_ROLES = ["township_admin", "village_admin", "clerk"] as const;

/** Who is making a request: a signed-in staff member or a paired kiosk device. */
export type Principal =
  | { kind: "user"; userId: number; username: string; role: StaffRole; villageId: number | null }
  | { kind: "kiosk"; kioskId: number; villageId: number };

export function actorOf(principal: Principal): Actor {
  return principal.kind === "kiosk" ? "kiosk" : principal.role;
}

export function actorIdOf(principal: Principal): string {
  return principal.kind === "kiosk" ? `kiosk:${principal.kioskId}` : `user:${principal.userId}`;
}
