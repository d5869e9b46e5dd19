/**
 * The message catalog for server-rendered pages (the resident card page, the card sheet, error
 * pages). Simplified Chinese first; every user-facing string of those pages comes from here so
 * that Uyghur and Kazakh (right-to-left) can be added as one more table.
 */
export type Locale = "zh-CN" | "en";

const zhCN = {
  "page.notFound.title": "页面不存在",
  "page.notFound.body": "请检查地址是否正确。",
  "card.title": "我的积分",
  "card.balance": "当前积分",
  "card.points": "分",
  "card.village": "所属村",
  "card.household": "户主",
  "card.recent": "最近记录",
  "card.recent.empty": "还没有积分记录",
  "card.inNotice": "公示中",
  "card.inNotice.empty": "目前没有公示中的记录",
  "card.inNotice.until": "公示至 {date}",
  "card.inNotice.more": "另有 {count} 条公示中，请到村务公开栏查看",
  "card.inNotice.own": "我家",
  "card.unknown.title": "找不到这张积分卡",
  "card.unknown.body": "这张卡可能已经挂失或换新。请到村委会或积分超市咨询。",
  "card.footer": "积分制管理 · 村务公开",
  "card.kind.award": "加分",
  "card.kind.deduction": "扣分",
  "card.kind.redemption": "兑换",
  "card.kind.reversal": "更正",
  "card.kind.expiry": "年度清零",
  "card.updated": "更新于 {time}",
  "sheet.title": "{village} 积分卡",
  "sheet.cardNo": "卡号",
  "sheet.scan": "扫码查积分",
  "sheet.empty": "本村还没有发放积分卡。",
  "sheet.print": "打印",
  "receipt.title": "积分超市兑换小票",
  "receipt.receiptNo": "小票号",
  "receipt.household": "户主",
  "receipt.time": "时间",
  "receipt.goods": "商品",
  "receipt.quantity": "数量",
  "receipt.points": "积分",
  "receipt.total": "合计",
  "receipt.balanceAfter": "剩余积分",
  "receipt.voided": "已作废",
  "receipt.footer": "积分制管理 · 文明新风",
} as const;

export type MessageKey = keyof typeof zhCN;

const en: Record<MessageKey, string> = {
  "page.notFound.title": "Page not found",
  "page.notFound.body": "Please check the address.",
  "card.title": "My points",
  "card.balance": "Balance",
  "card.points": "points",
  "card.village": "Village",
  "card.household": "Household",
  "card.recent": "Recent",
  "card.recent.empty": "No entries yet",
  "card.inNotice": "On public notice",
  "card.inNotice.empty": "Nothing on notice",
  "card.inNotice.until": "on notice until {date}",
  "card.inNotice.more": "{count} more on notice: see the village's public board",
  "card.inNotice.own": "mine",
  "card.unknown.title": "Card not found",
  "card.unknown.body": "This card may have been revoked or replaced. Please ask at the village office or the points supermarket.",
  "card.footer": "Village points · public affairs",
  "card.kind.award": "Award",
  "card.kind.deduction": "Deduction",
  "card.kind.redemption": "Redemption",
  "card.kind.reversal": "Correction",
  "card.kind.expiry": "Year-end expiry",
  "card.updated": "Updated {time}",
  "sheet.title": "{village} points cards",
  "sheet.cardNo": "Card no.",
  "sheet.scan": "Scan to see points",
  "sheet.empty": "No cards issued in this village yet.",
  "sheet.print": "Print",
  "receipt.title": "Points supermarket receipt",
  "receipt.receiptNo": "Receipt no.",
  "receipt.household": "Household",
  "receipt.time": "Time",
  "receipt.goods": "Goods",
  "receipt.quantity": "Qty",
  "receipt.points": "Points",
  "receipt.total": "Total",
  "receipt.balanceAfter": "Balance after",
  "receipt.voided": "VOIDED",
  "receipt.footer": "Village points · civic virtue",
};

const catalogs: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

export function t(key: MessageKey, vars: Record<string, string | number> = {}, locale: Locale = "zh-CN"): string {
  const template = catalogs[locale][key];
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? `{${name}}`));
}

export function pickLocale(acceptLanguage: string | undefined): Locale {
  return acceptLanguage !== undefined && /^en\b/i.test(acceptLanguage.trim()) ? "en" : "zh-CN";
}

/** Escapes text for HTML. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}
