// The demo township and its three villages. The names are invented but built the way real
// ones are: a township named after a landmark, villages after a river bend, willows or a
// bridge, and addresses in the rural form village + group (村民小组) + house number.

import type { Random } from "./random.ts";

export interface Township {
  name: string;
  county: string;
  code: string;
}

export interface VillagePlace {
  /** Short uppercase code, used in usernames and household numbers. */
  code: string;
  name: string;
  /** How many villager groups (组) the village has. */
  groupCount: number;
  /** Surnames of the old clans that settled the village. */
  clanSurnames: readonly string[];
  /** Where the village committee and its points supermarket sit. */
  serviceCentre: string;
  description: string;
}

export interface Address {
  villageCode: string;
  group: number;
  houseNumber: number;
  /** Short form, as written on a household card: 东河村3组27号. */
  text: string;
  /** Long form with the township: 青石镇东河村3组27号. */
  fullText: string;
}

export const DEMO_TOWNSHIP: Readonly<Township> = {
  name: "青石镇",
  county: "临江县",
  code: "QS",
};

export const DEMO_VILLAGES: readonly Readonly<VillagePlace>[] = [
  {
    code: "DH",
    name: "东河村",
    groupCount: 9,
    clanSurnames: ["王", "陈", "周"],
    serviceCentre: "东河村党群服务中心",
    description: "沿东河而建的农业村，种植水稻和油菜，设有河长制巡河志愿队。",
  },
  {
    code: "LW",
    name: "柳湾村",
    groupCount: 7,
    clanSurnames: ["李", "刘", "柳"],
    serviceCentre: "柳湾村村民委员会",
    description: "河湾处的果园村，以柑橘和桃园为主，留守老人较多。",
  },
  {
    code: "SQ",
    name: "石桥社区",
    groupCount: 6,
    clanSurnames: ["张", "石", "吴"],
    serviceCentre: "石桥社区便民服务中心",
    description: "镇区边上的农村社区，老石桥旁有集市，每逢三、六、九日赶集。",
  },
];

// House numbers in a group run from 1 upwards with gaps where a house was pulled down or a
// plot stands empty, so consecutive households are usually a few numbers apart.
const HOUSE_NUMBER_GAP_MAX = 4;

/** Formats an address in the short and long forms used on cards and forms. */
export function formatAddress(village: Readonly<VillagePlace>, group: number, houseNumber: number): Address {
  const text = `${village.name}${group}组${houseNumber}号`;
  return {
    villageCode: village.code,
    group,
    houseNumber,
    text,
    fullText: `${DEMO_TOWNSHIP.name}${text}`,
  };
}

/**
 * Deals out `count` distinct addresses across the village's groups, ordered by group and
 * house number, so household 0 lives in group 1 and the last household in the last group.
 */
export function generateAddresses(rng: Random, village: Readonly<VillagePlace>, count: number): Address[] {
  // Groups differ in size; weights between 0.6 and 1.4 keep every group inhabited.
  const weights = Array.from({ length: village.groupCount }, () => 0.6 + rng.next() * 0.8);
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const perGroup = weights.map((w) => Math.floor((w / totalWeight) * count));
  let remaining = count - perGroup.reduce((sum, n) => sum + n, 0);
  for (let i = 0; remaining > 0; i = (i + 1) % perGroup.length, remaining -= 1) {
    perGroup[i] = (perGroup[i] ?? 0) + 1;
  }
  const addresses: Address[] = [];
  perGroup.forEach((households, groupIndex) => {
    let houseNumber = 0;
    for (let i = 0; i < households; i += 1) {
      houseNumber += rng.int(1, HOUSE_NUMBER_GAP_MAX);
      addresses.push(formatAddress(village, groupIndex + 1, houseNumber));
    }
  });
  return addresses;
}
