/**
 * Matching a list pasted from a group chat (张建华 李秀英、王德明，3组27号) to households: each
 * name is looked up exactly, never by prefix, so a list of twenty names gives twenty answers a
 * committee member can check before anything is saved.
 */
import type { Database } from "bun:sqlite";
import { householdOfCard, householdsByDoor, householdsByExactName } from "./household-store.ts";

export const MATCH_TEXT_CHARS_MAX = 5_000;
export const MATCH_NAMES_MAX = 500;
/** An ambiguous name lists at most this many households. */
export const MATCH_CANDIDATES_MAX = 10;

const SEPARATORS = /[\s,，、;；]+/u;

/** The names of a pasted list: split, trimmed, empty ones dropped, each kept once in order. Pure. */
export function splitNames(text: string): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const part of text.split(SEPARATORS)) {
    const name = part.trim();
    if (name === "" || seen.has(name)) continue;
    seen.add(name);
    names.push(name);
  }
  return names;
}

export type MatchStatus = "matched" | "ambiguous" | "none";
export type NameMatch = { input: string; status: MatchStatus; householdIds: number[] };

/**
 * Each name's households: a card (number, URL or token) or a door plate as the search reads
 * them, else the head's exact name, else a member's exact name. One household is a match,
 * several are ambiguous (at most MATCH_CANDIDATES_MAX listed), none is none.
 */
export function matchNames(db: Database, villageId: number, names: readonly string[]): NameMatch[] {
  return names.map((input) => {
    let ids = householdOfCard(db, villageId, input);
    if (ids.length === 0) ids = householdsByDoor(db, villageId, input, MATCH_CANDIDATES_MAX);
    if (ids.length === 0) ids = householdsByExactName(db, villageId, input, MATCH_CANDIDATES_MAX);
    const status: MatchStatus =
      ids.length === 0 ? "none" : ids.length === 1 ? "matched" : "ambiguous";
    return { input, status, householdIds: ids };
  });
}
