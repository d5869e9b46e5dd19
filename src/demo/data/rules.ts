// The demo village rules (村规民约积分细则). Titles and point values follow rules that villages
// publish on their public boards: small awards for everyday conduct with a monthly cap so no
// one farms points, larger one-off awards for appraisals, and deductions for the conduct the
// rules exist to discourage (gambling, lavish banquets, dumping rubbish, not caring for elders).

export type RuleCategory = "law" | "volunteer" | "environment" | "family" | "civility";

export interface Rule {
  code: string;
  title: string;
  category: RuleCategory;
  /** Points added (positive) or deducted (negative); never zero. */
  points: number;
  /** The most points one household may earn under this rule in a calendar month; null if none. */
  monthlyCap: number | null;
}

function rule(code: string, category: RuleCategory, title: string, points: number, monthlyCap: number | null = null): Rule {
  return { code, title, category, points, monthlyCap };
}

/** Rules whose deduction suspends a household's redemptions (一票否决), and for how many months. */
export const SUSPENDING_RULES: Readonly<Record<string, number>> = { "LAW-06": 6, "LAW-09": 12 };

/** The township's rule template, shared by all villages before their own changes. */
export const RULE_CATALOGUE: readonly Readonly<Rule>[] = [
  rule("LAW-01", "law", "参加法治讲座或普法宣传活动（12·4宪法日、3·15等）", 3, 6),
  rule("LAW-02", "law", "协助调解邻里纠纷并调解成功", 5, 10),
  rule("LAW-03", "law", "举报违法犯罪线索经查属实", 10),
  rule("LAW-04", "law", "按时足额缴纳城乡居民医保、养老保险", 5),
  rule("LAW-05", "law", "担任“法律明白人”并开展法治宣传", 5, 5),
  rule("LAW-06", "law", "参与赌博被公安机关查处", -20),
  rule("LAW-07", "law", "违规私搭乱建，经劝导拒不整改", -10),
  rule("LAW-08", "law", "露天焚烧秸秆、垃圾", -10),
  rule("LAW-09", "law", "被列入失信被执行人名单", -20),
  rule("VOL-01", "volunteer", "参加义务劳动一次", 5, 20),
  rule("VOL-02", "volunteer", "参加护河巡河志愿服务", 3, 12),
  rule("VOL-03", "volunteer", "参加防汛抗旱、森林防火值守", 10, 20),
  rule("VOL-04", "volunteer", "无偿献血一次", 10),
  rule("VOL-05", "volunteer", "参加反诈、禁毒宣传志愿服务", 3, 9),
  rule("VOL-06", "volunteer", "结对帮扶独居老人、留守儿童", 5, 10),
  rule("ENV-01", "environment", "垃圾分类投放检查达标", 2, 8),
  rule("ENV-02", "environment", "庭院整洁被评为“美丽庭院”", 10),
  rule("ENV-03", "environment", "门前三包落实到位，月度检查合格", 3, 3),
  rule("ENV-04", "environment", "房前屋后乱堆乱放被通报", -5),
  rule("ENV-05", "environment", "乱倒垃圾、乱排污水", -5),
  rule("ENV-06", "environment", "散养家禽家畜影响环境卫生", -3),
  rule("ENV-07", "environment", "完成农村改厕或旱厕改造", 10),
  rule("FAM-01", "family", "赡养老人被评为“好媳妇”“好儿女”", 20),
  rule("FAM-02", "family", "被评为“五好家庭”", 20),
  rule("FAM-03", "family", "子女考入大学或中专", 10),
  rule("FAM-04", "family", "不履行赡养义务被村委会约谈", -20),
  rule("FAM-05", "family", "家庭暴力经查属实", -20),
  rule("CIV-01", "civility", "红白事简办，按村规报备", 10),
  rule("CIV-02", "civility", "婚事新办，不索要高额彩礼", 20),
  rule("CIV-03", "civility", "清明节文明祭扫，不燃放烟花爆竹", 3),
  rule("CIV-04", "civility", "参加村文艺队、广场舞等文体活动", 2, 4),
  rule("CIV-05", "civility", "大操大办红白喜事", -10),
  rule("CIV-06", "civility", "组织或参与封建迷信活动", -10),
];

interface VillageRuleChanges {
  /** New points or caps for rules the village weighs differently. */
  changed: Readonly<Record<string, Partial<Pick<Rule, "points" | "monthlyCap">>>>;
  /** Rules the village does not use. */
  removed: readonly string[];
  /** Rules only this village has. */
  added: readonly Readonly<Rule>[];
}

// Each village adapts the template to its own life, as villages do when they vote on their
// rules: the river village rewards river patrols, the orchard village is strict on burning
// prunings and gambling, and the market community has no poultry rule but a market-day one.
const VILLAGE_RULE_CHANGES: Readonly<Record<string, VillageRuleChanges>> = {
  DH: {
    changed: { "VOL-02": { points: 5, monthlyCap: 20 } },
    removed: [],
    added: [rule("ENV-08", "environment", "东河河道及沟渠清淤保洁", 5, 10)],
  },
  LW: {
    changed: { "LAW-06": { points: -30 }, "LAW-08": { points: -15 } },
    removed: ["VOL-02"],
    added: [rule("ENV-09", "environment", "果园枝条、农膜回收不乱丢弃", 3, 6)],
  },
  SQ: {
    changed: { "ENV-01": { points: 3, monthlyCap: 12 } },
    removed: ["ENV-06"],
    added: [rule("CIV-07", "civility", "集市文明经营，不占道、不缺斤短两", 3, 6)],
  },
};

/** The rules of one demo village: the catalogue with that village's changes applied. */
export function villageRules(villageCode: string): Rule[] {
  const changes = VILLAGE_RULE_CHANGES[villageCode];
  if (changes === undefined) throw new Error(`rules: no rule changes for village ${villageCode}`);
  const rules = RULE_CATALOGUE.filter((r) => !changes.removed.includes(r.code)).map((r) => ({
    ...r,
    ...changes.changed[r.code],
  }));
  return [...rules, ...changes.added.map((r) => ({ ...r }))];
}
