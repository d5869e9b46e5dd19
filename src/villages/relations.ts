/**
 * How a member is related to the head of the household: one set of codes, stored and answered
 * as codes; the pages show them in words through their own catalog. Staff, scripts and CSV files
 * often write the Chinese word of the household register (户口簿), so those words are read as
 * their codes too. Pure.
 */

export const RELATION_CODES = [
  "head",
  "spouse",
  "son",
  "daughter",
  "father",
  "mother",
  "son_in_law",
  "daughter_in_law",
  "grandson",
  "granddaughter",
  "grandfather",
  "grandmother",
  "brother",
  "sister",
  "other",
] as const;

export type RelationCode = (typeof RELATION_CODES)[number];

/** The words accepted for each code (migrations/0012 maps stored values with the same table). */
export const RELATION_WORDS: Readonly<Record<string, RelationCode>> = {
  户主: "head",
  配偶: "spouse",
  妻子: "spouse",
  丈夫: "spouse",
  妻: "spouse",
  夫: "spouse",
  儿子: "son",
  子: "son",
  女儿: "daughter",
  女: "daughter",
  父亲: "father",
  母亲: "mother",
  女婿: "son_in_law",
  儿媳: "daughter_in_law",
  儿媳妇: "daughter_in_law",
  孙子: "grandson",
  孙女: "granddaughter",
  祖父: "grandfather",
  爷爷: "grandfather",
  祖母: "grandmother",
  奶奶: "grandmother",
  兄弟: "brother",
  哥哥: "brother",
  弟弟: "brother",
  姐妹: "sister",
  姐姐: "sister",
  妹妹: "sister",
  其他: "other",
};

const CODES: ReadonlySet<string> = new Set(RELATION_CODES);

/** The code for a code or a known word (case and surrounding spaces aside); null when unknown. */
export function relationCode(input: string): RelationCode | null {
  const trimmed = input.trim();
  const lower = trimmed.toLowerCase();
  if (CODES.has(lower)) return lower as RelationCode;
  return RELATION_WORDS[trimmed] ?? null;
}
