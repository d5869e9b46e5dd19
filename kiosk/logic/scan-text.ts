// Camera, scanner and number pad all land in one path: whatever was read is turned into the code
// the server looks up (`GET /api/kiosk/cards/:code`), or refused. A card's QR holds
// `<origin>/c/<token>`; a scanner may type that URL, the bare token, or the printed card number.

export const CARD_NUMBER_LENGTH = 8;
export const TOKEN_LENGTH_MIN = 22;
export const TOKEN_LENGTH_MAX = 128;
export const SCAN_REPEAT_MS = 3000;

export type CardCode = { kind: "token"; code: string } | { kind: "number"; code: string };

const TOKEN_RE = new RegExp(`^[A-Za-z0-9_-]{${TOKEN_LENGTH_MIN},${TOKEN_LENGTH_MAX}}$`);
const CARD_PATH_RE = /(?:^|\/)c\/([A-Za-z0-9_-]+)\/?$/;

/** Reads scanned or typed text as a card code; null when it is no card of ours. */
export function parseScanText(raw: string): CardCode | null {
  const text = raw.trim();
  if (text === "") return null;

  const digits = text.replace(/[\s-]/g, "");
  if (/^[0-9]+$/.test(digits)) {
    return digits.length === CARD_NUMBER_LENGTH ? { kind: "number", code: digits } : null;
  }

  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    const m = CARD_PATH_RE.exec(url.pathname);
    const token = m?.[1];
    return token !== undefined && TOKEN_RE.test(token) ? { kind: "token", code: token } : null;
  }

  // Some scanners drop the scheme, or a label gets printed without it: "host/c/<token>".
  const pathMatch = CARD_PATH_RE.exec(text);
  if (pathMatch?.[1] !== undefined && text.includes("/")) {
    return TOKEN_RE.test(pathMatch[1]) ? { kind: "token", code: pathMatch[1] } : null;
  }

  return TOKEN_RE.test(text) ? { kind: "token", code: text } : null;
}

export interface ScanDeduper {
  /** True when this code should be acted on: not the same code as one accepted within the window. */
  accept(code: string, nowMs: number): boolean;
  reset(): void;
}

/** A camera sees the same card in many frames and a scanner may fire twice: act once. */
export function createScanDeduper(windowMs: number = SCAN_REPEAT_MS): ScanDeduper {
  let lastCode: string | null = null;
  let lastMs = Number.NEGATIVE_INFINITY;
  return {
    accept(code: string, nowMs: number): boolean {
      if (code === lastCode && nowMs - lastMs < windowMs) {
        lastMs = nowMs;
        return false;
      }
      lastCode = code;
      lastMs = nowMs;
      return true;
    },
    reset(): void {
      lastCode = null;
      lastMs = Number.NEGATIVE_INFINITY;
    },
  };
}
