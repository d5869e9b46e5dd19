// Who is signed in, which village they work on, and what happens when the session ends. The
// signals here are the shell's shared state; pages read them and never copy them.
import { computed, signal } from "@preact/signals";
import { get, post, whenUnauthenticated } from "../api.ts";
import { BASE, here, navigate } from "../router.ts";
import type { Role, User, Village } from "../types.ts";

/** undefined while the first /api/me is on its way; null when nobody is signed in. */
export const me = signal<User | null | undefined>(undefined);
export const villages = signal<Village[]>([]);
/** Why the sign-in page is shown: the session ended by itself, or the user signed out. */
export const signInReason = signal<"expired" | "signed-out" | null>(null);

const VILLAGE_KEY = "jifen.admin.village";
const chosenVillage = signal<string | null>(readChosen());

function readChosen(): string | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage.getItem(VILLAGE_KEY);
  } catch {
    return null;
  }
}

/** The village the pages work on: a village's staff have theirs; the township administrator picks one. */
export const villageId = computed<string | null>(() => {
  const user = me.value;
  if (!user) return null;
  if (user.villageId !== null) return user.villageId;
  const list = villages.value;
  const chosen = chosenVillage.value;
  return list.find((v) => v.id === chosen)?.id ?? list[0]?.id ?? null;
});

export const village = computed<Village | null>(
  () => villages.value.find((v) => v.id === villageId.value) ?? null,
);

export function chooseVillage(id: string): void {
  chosenVillage.value = id;
  try {
    localStorage.setItem(VILLAGE_KEY, id);
  } catch {
    // The choice lasts for this page only.
  }
}

export const role = computed<Role | null>(() => me.value?.role ?? null);
export const isCommittee = computed(
  () => role.value === "village_admin" || role.value === "township_admin",
);

export async function loadVillages(): Promise<void> {
  const res = await get<{ items: Village[] }>("/api/villages");
  if (res.ok) villages.value = res.data.items;
}

export async function boot(): Promise<void> {
  whenUnauthenticated(sessionEnded);
  const res = await get<{ user: User }>("/api/me");
  if (res.ok) {
    me.value = res.data.user;
    await loadVillages();
  } else {
    me.value = null;
  }
}

export async function signedIn(user: User): Promise<void> {
  me.value = user;
  signInReason.value = null;
  await loadVillages();
}

/** The server no longer knows the session: keep the page's drafts, go to sign-in, come back after. */
function sessionEnded(): void {
  if (me.value === null) return;
  me.value = null;
  signInReason.value = "expired";
  const { path, search } = here.value;
  if (path !== `${BASE}/login`)
    navigate(`${BASE}/login?next=${encodeURIComponent(path + search)}`, { replace: true });
}

export async function signOut(): Promise<void> {
  await post("/api/auth/logout");
  me.value = null;
  villages.value = [];
  signInReason.value = "signed-out";
  navigate(`${BASE}/login`, { replace: true });
}
