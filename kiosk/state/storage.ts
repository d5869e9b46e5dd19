// Everything the kiosk keeps across reloads, under one prefix. localStorage can throw (quota,
// private mode); the kiosk then works without memory rather than not at all.

const PREFIX = "jifen.kiosk.";

export const KEYS = {
  token: "token",
  lang: "lang",
  muted: "muted",
  pending: "pending", // the submit in flight: key + body, saved before the POST
  draft: "draft", // the key made for the basket under review, so it survives going back and forth
  recent: "recent", // the last receipts made here, for staff reprint and void
  autoPrint: "autoPrint",
} as const;

export type StorageKey = (typeof KEYS)[keyof typeof KEYS];

export function load(key: StorageKey): string | null {
  try {
    return localStorage.getItem(PREFIX + key);
  } catch {
    return null;
  }
}

export function save(key: StorageKey, value: string): boolean {
  try {
    localStorage.setItem(PREFIX + key, value);
    return true;
  } catch {
    return false;
  }
}

export function drop(key: StorageKey): void {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    // Nothing to do: the value was never stored.
  }
}
