/**
 * The short printed card number: 7 random digits and a Luhn check digit, so a mistyped digit or
 * two swapped neighbours on the kiosk's keypad is caught before any lookup. Pure.
 */
export const CARD_NUMBER_LENGTH = 8;

export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // Double every second digit from the right of the payload (the check digit goes at the end).
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidCardNumber(number: string): boolean {
  if (!new RegExp(`^\\d{${CARD_NUMBER_LENGTH}}$`).test(number)) return false;
  return luhnCheckDigit(number.slice(0, -1)) === Number(number.at(-1));
}

export function randomCardNumber(): string {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  // The first digit is never 0, so the number survives a spreadsheet that drops leading zeros.
  const payload = String(1_000_000 + (buf[0]! % 9_000_000));
  return payload + String(luhnCheckDigit(payload));
}

/** 1234 5678: easier to read aloud and to type. */
export function formatCardNumber(number: string): string {
  return `${number.slice(0, 4)} ${number.slice(4)}`;
}
