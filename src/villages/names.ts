import { pinyin } from "pinyin-pro";

/** Pinyin keys for searching a name: `zjh` and `zhangjianhua` for 张建华. Pure. */
export function pinyinKeys(name: string): { initials: string; full: string } {
  // surname: "head" reads the first character as a surname (曾 → zeng, 单 → shan).
  const syllables = pinyin(name, {
    toneType: "none",
    type: "array",
    surname: "head",
    nonZh: "consecutive",
    v: true,
  });
  const clean = syllables
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ""))
    .filter((s) => s.length > 0);
  return { initials: clean.map((s) => s[0]).join(""), full: clean.join("") };
}

/**
 * A name as the public may see it: the first and last characters, the rest masked (张*华, 李*).
 * Residents and the public board never see a full name.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join("") + "*";
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
