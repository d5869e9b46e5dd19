// Chinese person names and household make-up for the demo township. Surnames follow their real
// national frequency (per cent of the population, rounded, from the 2020 census tables) so that
// a list of 600 households looks like a real village roll; given names follow the fashions of
// the decade a person was born in, so an 80-year-old is 桂兰 and her granddaughter is 梓涵.

import type { Random } from "./random.ts";
import type { RelationCode } from "../../villages/relations.ts";

export type Gender = "male" | "female";

/**
 * Relation of a member to the head of household, as written in the household register (户口簿):
 * the codes the API stores and answers, of which the generator uses these.
 */
export type Relation = Extract<RelationCode, "head" | "spouse" | "son" | "daughter" | "daughter_in_law" | "grandson" | "granddaughter" | "father" | "mother">;

export const RELATION_LABELS: Readonly<Record<Relation, string>> = {
  head: "户主",
  spouse: "配偶",
  son: "子",
  daughter: "女",
  daughter_in_law: "儿媳",
  grandson: "孙子",
  granddaughter: "孙女",
  father: "父亲",
  mother: "母亲",
};

export interface Person {
  name: string;
  surname: string;
  gender: Gender;
  birthYear: number;
  relation: Relation;
  relationLabel: string;
}

export interface Household {
  head: Person;
  /** All members, the head first. */
  members: Person[];
}

/** Surname and weight in per cent of the population. */
export const SURNAME_WEIGHTS: readonly (readonly [string, number])[] = [
  ["王", 7.12], ["李", 7.0], ["张", 6.74], ["刘", 5.38], ["陈", 4.53], ["杨", 3.08],
  ["黄", 2.23], ["赵", 2.29], ["吴", 2.05], ["周", 1.95], ["徐", 1.67], ["孙", 1.54],
  ["马", 1.44], ["朱", 1.26], ["胡", 1.31], ["郭", 1.18], ["何", 1.2], ["高", 1.1],
  ["林", 1.14], ["罗", 1.12], ["郑", 1.06], ["梁", 0.97], ["谢", 0.83], ["宋", 0.74],
  ["唐", 0.74], ["许", 0.71], ["韩", 0.68], ["冯", 0.68], ["邓", 0.71], ["曹", 0.61],
  ["彭", 0.62], ["曾", 0.59], ["肖", 0.6], ["田", 0.54], ["董", 0.53], ["袁", 0.5],
  ["潘", 0.48], ["于", 0.47], ["蒋", 0.47], ["蔡", 0.46], ["余", 0.45], ["杜", 0.44],
  ["叶", 0.44], ["程", 0.43], ["苏", 0.42], ["魏", 0.41], ["吕", 0.4], ["丁", 0.39],
  ["任", 0.38], ["沈", 0.36], ["姚", 0.35], ["卢", 0.35], ["姜", 0.33], ["崔", 0.32],
  ["钟", 0.32], ["谭", 0.31], ["陆", 0.3], ["汪", 0.3], ["范", 0.29], ["金", 0.28],
  ["石", 0.28], ["廖", 0.27], ["贾", 0.27], ["夏", 0.26], ["韦", 0.26], ["付", 0.25],
  ["方", 0.25], ["白", 0.24], ["邹", 0.24], ["孟", 0.23], ["熊", 0.23], ["秦", 0.22],
  ["邱", 0.22], ["江", 0.21], ["尹", 0.21], ["薛", 0.2], ["闫", 0.2], ["段", 0.19],
  ["雷", 0.19], ["侯", 0.18], ["龙", 0.18], ["史", 0.18], ["陶", 0.17], ["黎", 0.17],
  ["贺", 0.16], ["顾", 0.16], ["毛", 0.16], ["郝", 0.15], ["龚", 0.15], ["邵", 0.15],
  ["万", 0.14], ["钱", 0.14], ["严", 0.14], ["覃", 0.13], ["武", 0.13], ["戴", 0.13],
  ["莫", 0.12], ["孔", 0.12], ["向", 0.12], ["汤", 0.12], ["常", 0.11], ["温", 0.11],
  ["康", 0.11], ["施", 0.1], ["文", 0.1], ["牛", 0.1], ["樊", 0.1], ["葛", 0.1],
];

type Cohort = "elder" | "middle" | "young" | "child";

// Given names by the decade of birth. Each list mixes one- and two-character names in the
// proportion seen on rural rolls: single characters were common for people born 1970–2000.
const GIVEN_NAMES: Readonly<Record<Cohort, Readonly<Record<Gender, readonly string[]>>>> = {
  elder: {
    male: [
      "建国", "国庆", "德明", "德胜", "长顺", "有福", "福生", "树林", "金山", "连生",
      "永贵", "家兴", "振华", "庆丰", "学文", "保国", "春生", "水生", "根生", "富贵",
      "守义", "德福", "广才", "占元", "玉山", "明", "山", "林", "成", "贵",
    ],
    female: [
      "秀英", "桂兰", "玉兰", "淑珍", "凤英", "桂英", "秀兰", "翠花", "素芬", "玉梅",
      "春兰", "金凤", "桂芳", "秀珍", "冬梅", "玉珍", "兰英", "凤兰", "桂香", "翠英",
      "菊花", "素珍", "秀琴", "玉英", "英", "兰", "菊", "珍",
    ],
  },
  middle: {
    male: [
      "建军", "建华", "卫东", "红军", "志强", "国强", "海军", "建平", "永强", "立新",
      "文军", "国华", "志明", "跃进", "红兵", "建林", "新民", "向东", "春林", "晓军",
      "伟", "勇", "军", "强", "斌", "刚", "平", "华",
    ],
    female: [
      "红梅", "丽华", "小红", "玉霞", "春燕", "海燕", "丽娟", "秀梅", "美华", "晓红",
      "红霞", "桂香", "彩霞", "凤琴", "爱华", "丽萍", "丽", "霞", "燕", "芳",
      "艳", "敏", "萍", "琴",
    ],
  },
  young: {
    male: [
      "俊杰", "志伟", "晓东", "海涛", "明亮", "建伟", "文杰", "家豪", "鹏飞", "子健",
      "伟", "磊", "涛", "鹏", "浩", "超", "杰", "亮", "鑫", "飞", "宇", "帅",
    ],
    female: [
      "晓燕", "婷婷", "芳芳", "艳红", "美玲", "小燕", "雪梅", "佳佳", "丽娜", "晓丽",
      "静", "丽", "婷", "娟", "敏", "丹", "雪", "倩", "欣", "莉", "慧", "玲",
    ],
  },
  child: {
    male: [
      "浩宇", "宇轩", "浩然", "梓轩", "子轩", "俊熙", "一鸣", "博文", "宇航", "皓轩",
      "天佑", "子墨", "嘉豪", "锦程", "思远", "泽宇", "明轩", "子涵", "睿", "晨",
    ],
    female: [
      "子涵", "欣怡", "梓涵", "诗涵", "雨桐", "可馨", "紫涵", "梦瑶", "语嫣", "佳怡",
      "思琪", "一诺", "雨欣", "欣妍", "若曦", "梓萱", "心怡", "静怡", "嘉怡", "雨萱",
    ],
  },
};

const ELDER_BORN_BEFORE_YEAR = 1960;
const MIDDLE_BORN_BEFORE_YEAR = 1980;
const YOUNG_BORN_BEFORE_YEAR = 2005;

// Rural husbands are on average about two years older than their wives.
const SPOUSE_AGE_GAP_YEARS: readonly (readonly [number, number])[] = [
  [-1, 1], [0, 3], [1, 4], [2, 5], [3, 4], [4, 2], [5, 1], [7, 1],
];

// Villages keep clan surnames: a couple of surnames are far more common locally than nationally.
const CLAN_SURNAME_SHARE = 0.35;
// Marriage within one surname is rare in the countryside; it does happen.
const SAME_SURNAME_SPOUSE_CHANCE = 0.04;

function cohortOf(birthYear: number): Cohort {
  if (birthYear < ELDER_BORN_BEFORE_YEAR) return "elder";
  if (birthYear < MIDDLE_BORN_BEFORE_YEAR) return "middle";
  if (birthYear < YOUNG_BORN_BEFORE_YEAR) return "young";
  return "child";
}

/** Picks a surname by national frequency, or one of the village's clan surnames. */
export function pickSurname(rng: Random, clanSurnames: readonly string[] = []): string {
  if (clanSurnames.length > 0 && rng.chance(CLAN_SURNAME_SHARE)) return rng.pick(clanSurnames);
  return rng.weighted(SURNAME_WEIGHTS);
}

/** Picks a given name in the fashion of the person's birth decade. */
export function pickGivenName(rng: Random, gender: Gender, birthYear: number): string {
  return rng.pick(GIVEN_NAMES[cohortOf(birthYear)][gender]);
}

export interface HouseholdOptions {
  /** The year ages are counted from, e.g. the first year of the demo. */
  referenceYear: number;
  /** Surnames common in this village. */
  clanSurnames?: readonly string[];
}

// Household sizes in the countryside lean small: the young work in town and leave the old
// at home, so one- and two-person households of people over sixty are the most common kind.
const HOUSEHOLD_SIZE_WEIGHTS: readonly (readonly [number, number])[] = [
  [1, 17], [2, 30], [3, 19], [4, 17], [5, 11], [6, 6],
];

// Each shape names who lives together; ages follow from the head's age.
type Shape =
  | "single-elder"
  | "single-middle"
  | "elder-couple"
  | "empty-nest-couple"
  | "couple-child"
  | "widow-son"
  | "left-behind-grandchild"
  | "couple-two-children"
  | "couple-son-wife"
  | "three-generations"
  | "couple-children-parent"
  | "four-generations-lite"
  | "couple-children-parents";

const SHAPES_BY_SIZE: Readonly<Record<number, readonly (readonly [Shape, number])[]>> = {
  1: [["single-elder", 4], ["single-middle", 1]],
  2: [["elder-couple", 3], ["empty-nest-couple", 2], ["widow-son", 1]],
  3: [["couple-child", 3], ["left-behind-grandchild", 2]],
  4: [["couple-two-children", 3], ["couple-son-wife", 2]],
  5: [["three-generations", 3], ["couple-children-parent", 2]],
  6: [["four-generations-lite", 3], ["couple-children-parents", 2]],
};

interface Builder {
  rng: Random;
  referenceYear: number;
  headSurname: string;
  clanSurnames: readonly string[];
  members: Person[];
  usedGivenNames: Set<string>;
}

function spouseSurname(b: Builder): string {
  if (b.rng.chance(SAME_SURNAME_SPOUSE_CHANCE)) return b.headSurname;
  for (;;) {
    const surname = pickSurname(b.rng, b.clanSurnames);
    if (surname !== b.headSurname) return surname;
  }
}

function addPerson(
  b: Builder,
  relation: Relation,
  gender: Gender,
  birthYear: number,
  surname: string,
): Person {
  // Siblings and cousins in one household do not share a given name.
  let given = pickGivenName(b.rng, gender, birthYear);
  for (let attempt = 0; attempt < 8 && b.usedGivenNames.has(given); attempt += 1) {
    given = pickGivenName(b.rng, gender, birthYear);
  }
  b.usedGivenNames.add(given);
  const person: Person = {
    name: surname + given,
    surname,
    gender,
    birthYear,
    relation,
    relationLabel: RELATION_LABELS[relation],
  };
  b.members.push(person);
  return person;
}

function addHead(b: Builder, gender: Gender, ageYears: number): Person {
  return addPerson(b, "head", gender, b.referenceYear - ageYears, b.headSurname);
}

function addSpouse(b: Builder, head: Person): Person {
  const gap = b.rng.weighted(SPOUSE_AGE_GAP_YEARS);
  const wifeOlderBy = head.gender === "male" ? -gap : gap;
  return addPerson(b, "spouse", "female", head.birthYear - wifeOlderBy, spouseSurname(b));
}

function addChild(b: Builder, parent: Person, gender?: Gender): Person {
  const childGender = gender ?? (b.rng.chance(0.52) ? "male" : "female");
  const birthYear = parent.birthYear + b.rng.int(22, 32);
  return addPerson(b, childGender === "male" ? "son" : "daughter", childGender, birthYear, b.headSurname);
}

function addDaughterInLaw(b: Builder, son: Person): Person {
  return addPerson(b, "daughter_in_law", "female", son.birthYear + b.rng.int(-1, 3), spouseSurname(b));
}

function addGrandchild(b: Builder, parent: Person): Person {
  const male = b.rng.chance(0.52);
  const birthYear = Math.min(parent.birthYear + b.rng.int(22, 30), b.referenceYear);
  return addPerson(b, male ? "grandson" : "granddaughter", male ? "male" : "female", birthYear, b.headSurname);
}

function addParents(b: Builder, head: Person, both: boolean): void {
  const fatherBirthYear = head.birthYear - b.rng.int(24, 30);
  if (both || b.rng.chance(0.35)) {
    addPerson(b, "father", "male", fatherBirthYear, b.headSurname);
    if (both) addPerson(b, "mother", "female", fatherBirthYear + b.rng.int(0, 4), spouseSurname(b));
  } else {
    // Widowed mothers outlive fathers, so a lone parent in the household is usually the mother.
    addPerson(b, "mother", "female", fatherBirthYear + b.rng.int(0, 4), spouseSurname(b));
  }
}

function buildShape(b: Builder, shape: Shape): void {
  const { rng } = b;
  switch (shape) {
    case "single-elder": {
      // Widows outnumber widowers, and a widow is registered as head of her own household.
      addHead(b, rng.chance(0.6) ? "female" : "male", rng.int(66, 90));
      return;
    }
    case "single-middle": {
      addHead(b, rng.chance(0.8) ? "male" : "female", rng.int(38, 64));
      return;
    }
    case "elder-couple": {
      addSpouse(b, addHead(b, "male", rng.int(62, 86)));
      return;
    }
    case "empty-nest-couple": {
      addSpouse(b, addHead(b, "male", rng.int(46, 62)));
      return;
    }
    case "widow-son": {
      // A son who stayed on the land keeps house with his widowed mother.
      const head = addHead(b, "male", rng.int(36, 55));
      addPerson(b, "mother", "female", head.birthYear - rng.int(22, 30), spouseSurname(b));
      return;
    }
    case "left-behind-grandchild": {
      // Grandparents raise a grandchild while the parents work in the city (留守儿童).
      const head = addHead(b, "male", rng.int(56, 72));
      addSpouse(b, head);
      const absentParentBirthYear = head.birthYear + rng.int(23, 28);
      addGrandchild(b, { ...head, birthYear: absentParentBirthYear });
      return;
    }
    case "couple-child": {
      const head = addHead(b, "male", rng.int(32, 56));
      addSpouse(b, head);
      addChild(b, head);
      return;
    }
    case "couple-two-children": {
      const head = addHead(b, "male", rng.int(34, 52));
      addSpouse(b, head);
      addChild(b, head);
      addChild(b, head);
      return;
    }
    case "couple-son-wife": {
      const head = addHead(b, "male", rng.int(52, 68));
      addSpouse(b, head);
      addDaughterInLaw(b, addChild(b, head, "male"));
      return;
    }
    case "three-generations": {
      const head = addHead(b, "male", rng.int(54, 72));
      addSpouse(b, head);
      const son = addChild(b, head, "male");
      addDaughterInLaw(b, son);
      addGrandchild(b, son);
      return;
    }
    case "couple-children-parent": {
      const head = addHead(b, "male", rng.int(36, 50));
      addSpouse(b, head);
      addChild(b, head);
      addChild(b, head);
      addParents(b, head, false);
      return;
    }
    case "four-generations-lite": {
      const head = addHead(b, "male", rng.int(56, 70));
      addSpouse(b, head);
      const son = addChild(b, head, "male");
      addDaughterInLaw(b, son);
      addGrandchild(b, son);
      addGrandchild(b, son);
      return;
    }
    case "couple-children-parents": {
      const head = addHead(b, "male", rng.int(36, 48));
      addSpouse(b, head);
      addChild(b, head);
      addChild(b, head);
      addParents(b, head, true);
      return;
    }
  }
}

/** Generates one household: a head of household and the members living with them. */
export function generateHousehold(rng: Random, options: HouseholdOptions): Household {
  const clanSurnames = options.clanSurnames ?? [];
  const size = rng.weighted(HOUSEHOLD_SIZE_WEIGHTS);
  const shapes = SHAPES_BY_SIZE[size];
  if (shapes === undefined) throw new Error(`names: no household shape of size ${size}`);
  const builder: Builder = {
    rng,
    referenceYear: options.referenceYear,
    headSurname: pickSurname(rng, clanSurnames),
    clanSurnames,
    members: [],
    usedGivenNames: new Set(),
  };
  buildShape(builder, rng.weighted(shapes));
  const [head] = builder.members;
  if (head === undefined || head.relation !== "head" || builder.members.length !== size) {
    throw new Error("names: household shape did not produce its size");
  }
  return { head, members: builder.members };
}
