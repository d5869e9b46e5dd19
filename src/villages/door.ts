/**
 * Door plates (门牌): how a committee member finds a household by its address. Addresses look
 * like 柳溪村3组27号; a search of `27` or `27号` means the door number, and `3组27号`, `3-27` or
 * `3组27` the group and the door. Each household stores both keys (`door_no`, `door_key`), and
 * migrations/0012 computed them for the addresses already there with the same rule. Pure.
 */

const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_SHIFT = 0xfee0;
const IDEOGRAPHIC_SPACE = "\u3000";

/** Full-width ASCII (Ａ１－) as ASCII, the ideographic space as a space: what a Chinese IME types. */
export function halfWidth(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST)
      out += String.fromCodePoint(code - FULL_WIDTH_SHIFT);
    else out += ch === IDEOGRAPHIC_SPACE ? " " : ch;
  }
  return out;
}

/** The runs of digits of a text, each without its leading zeros ("0" stays "0"). */
function digitRuns(text: string): string[] {
  return (halfWidth(text).match(/[0-9]+/g) ?? []).map((run) => run.replace(/^0+(?=[0-9])/, ""));
}

export type DoorKeys = { doorNo: string; doorKey: string };

/** The keys stored with an address: the last run of digits, and every run joined by "-". */
export function doorKeysOf(address: string): DoorKeys {
  const runs = digitRuns(address);
  return { doorNo: runs.at(-1) ?? "", doorKey: runs.join("-") };
}

/** A door number alone: `27`, `27号`, `#27`. */
const DOOR_NUMBER = /^#?\s*[0-9]+\s*号?$/;
/** A door plate: digits among Chinese characters, spaces and dashes (`3组27号`, `3-27`, `柳溪村3组27号`). */
const DOOR_PLATE = /^[\p{Script=Han}0-9\s#-]+$/u;

/**
 * What a search term means as a door plate: a door number (`doorNo`), a group and door
 * (`doorKey`, two or more runs of digits), or nothing.
 */
export function doorSearchOf(term: string): { doorNo: string } | { doorKey: string } | null {
  const text = halfWidth(term).trim();
  if (!DOOR_PLATE.test(text)) return null;
  const runs = digitRuns(text);
  if (runs.length >= 2) return { doorKey: runs.join("-") };
  if (runs.length === 1 && DOOR_NUMBER.test(text)) return { doorNo: runs[0]! };
  return null;
}
