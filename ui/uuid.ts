// `crypto.randomUUID` exists only on a secure origin; a kiosk on plain http in a village LAN has
// `crypto.getRandomValues` only, which is enough to make a version 4 UUID.

export function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new Error("uuidFromBytes needs 16 bytes");
  const b = Array.from(bytes.slice(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newUuid(): string {
  if (typeof crypto.randomUUID === "function") {
    try {
      return crypto.randomUUID();
    } catch {
      // Not a secure context: fall through.
    }
  }
  return uuidFromBytes(crypto.getRandomValues(new Uint8Array(16)));
}
