/** Random tokens and their hashes. Tokens are base64url; only hashes are stored. */

export const SESSION_TOKEN_BYTES = 32; // 256 bits
export const DEVICE_TOKEN_BYTES = 32;
export const CARD_TOKEN_BYTES = 16; // 128 bits: short enough for a small, easily scanned QR

export function randomToken(bytes: number): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return Buffer.from(buf).toString("base64url");
}

export function sha256Hex(text: string): string {
  // One native call: a CryptoHasher object per call cost a few microseconds on every request.
  return Bun.SHA256.hash(text, "hex") as string;
}
