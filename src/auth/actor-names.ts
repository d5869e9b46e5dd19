/**
 * Who did something, as people read it. Writes name their actor in one of three stored forms: a
 * sale, a void or a stock movement made over HTTP says `user:<id>` or `kiosk:<id>` (actorIdOf),
 * the ledger and scripts say a username; the audit log keeps the kind and the id apart. A user is
 * shown by their display name, else their username; a kiosk by its name. Anything unknown is
 * shown as stored, so nothing is ever blank.
 */
import type { Database } from "bun:sqlite";

type NameRow = { name: string | null; username?: string };

function userById(db: Database, id: number): string | null {
  const row = db
    .query<NameRow & { username: string }, [number]>(
      "SELECT display_name AS name, username FROM users WHERE id = ?",
    )
    .get(id);
  return row === null ? null : row.name || row.username;
}

function userByName(db: Database, username: string): string | null {
  const row = db
    .query<NameRow & { username: string }, [string]>(
      "SELECT display_name AS name, username FROM users WHERE username = ?",
    )
    .get(username);
  return row === null ? null : row.name || row.username;
}

function kioskById(db: Database, id: number): string | null {
  return (
    db.query<{ name: string }, [number]>("SELECT name FROM kiosks WHERE id = ?").get(id)?.name ??
    null
  );
}

/** The display name of one stored actor (`user:5`, `kiosk:3` or a username). */
export function actorDisplayName(db: Database, stored: string): string {
  const tagged = /^(user|kiosk):([1-9][0-9]{0,14})$/.exec(stored);
  if (tagged !== null) {
    const id = Number(tagged[2]);
    return (tagged[1] === "user" ? userById(db, id) : kioskById(db, id)) ?? stored;
  }
  return userByName(db, stored) ?? stored;
}

/** Display names of many stored actors, each looked up once. */
export function actorDisplayNames(
  db: Database,
  stored: Iterable<string | null>,
): Map<string, string> {
  const names = new Map<string, string>();
  for (const s of stored) {
    if (s !== null && !names.has(s)) names.set(s, actorDisplayName(db, s));
  }
  return names;
}

/** The name of an audit row's actor (kind and id kept apart there); null for the public and the system. */
export function auditActorName(db: Database, kind: string, id: string | null): string | null {
  if (id === null || !/^[1-9][0-9]{0,14}$/.test(id)) return null;
  if (kind === "user") return userById(db, Number(id));
  if (kind === "kiosk") return kioskById(db, Number(id));
  return null;
}
