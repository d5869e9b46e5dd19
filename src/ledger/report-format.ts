/**
 * The same report as CSV (UTF-8 with a BOM, so Excel in China opens it without garbling) and as
 * an XLSX workbook. Both are built from one list of tables, so the figures cannot drift apart.
 */
import ExcelJS from "exceljs";
import type { Report } from "./report.ts";

type Table = { sheet: string; title: string; header: string[]; rows: (string | number)[][] };

const FIGURE_HEADER = ["awarded 加分", "deducted 扣分", "redeemed 兑换", "expired 清零", "net 净额"];
const figures = (f: { awarded: number; deducted: number; redeemed: number; expired: number; net: number }): number[] => [f.awarded, f.deducted, f.redeemed, f.expired, f.net];

export function reportTables(r: Report): Table[] {
  const villageName = new Map(r.villages.map((v) => [v.id, v.name]));
  const ranked = (sheet: string, title: string, list: Report["honourBoard"]["top"]): Table => ({
    sheet,
    title,
    header: ["rank 名次", "village 村", "household 户主", "earned 得分"],
    rows: list.map((h, i) => [i + 1, villageName.get(h.villageId) ?? "", h.headName, h.earned]),
  });
  const tables: Table[] = [
    { sheet: "Summary", title: `Summary 汇总 ${r.from} – ${r.to}`, header: [...FIGURE_HEADER, "households active 活跃户数", "goods redeemed (points) 兑换积分"], rows: [[...figures(r.totals), r.householdsActive, r.goodsRedeemed.points]] },
    { sheet: "By month", title: "By month 按月", header: ["month 月份", ...FIGURE_HEADER], rows: r.byMonth.map((m) => [m.month, ...figures(m)]) },
    { sheet: "By category", title: "By category 按类别", header: ["category 类别", ...FIGURE_HEADER], rows: r.byCategory.map((c) => [c.category, ...figures(c)]) },
    {
      sheet: "By village",
      title: "By village 按村",
      header: ["village 村", ...FIGURE_HEADER, "households active 活跃户数", "households by stars 星级户数 (0★,1★,…)"],
      rows: r.byVillage.map((v) => [v.villageName, ...figures(v), v.householdsActive, v.starCounts.join(" / ")]),
    },
    ranked("Honour board", "Honour board 红榜", r.honourBoard.top),
  ];
  if (r.honourBoard.bottom !== null) tables.push(ranked("Bottom list", "Bottom list 黑榜", r.honourBoard.bottom));
  tables.push({
    sheet: "Stars",
    title: "Star households 星级文明户",
    header: ["village 村", "household 户主", "stars 星级", "earned 得分"],
    rows: r.starHouseholds.map((h) => [villageName.get(h.villageId) ?? "", h.headName, h.stars, h.earned]),
  });
  return tables;
}

function csvCell(v: string | number): string {
  const s = String(v);
  // Quote what needs it, and defuse cells Excel would run as formulas.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === "string" ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function reportCsv(r: Report): string {
  const lines: string[] = [];
  for (const t of reportTables(r)) {
    lines.push(csvCell(t.title), t.header.map(csvCell).join(","), ...t.rows.map((row) => row.map(csvCell).join(",")), "");
  }
  return "\uFEFF" + lines.join("\r\n");
}

export async function reportXlsx(r: Report): Promise<ArrayBuffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "jifen";
  for (const t of reportTables(r)) {
    const sheet = workbook.addWorksheet(t.sheet);
    sheet.addRow([t.title]).font = { bold: true };
    sheet.addRow(t.header).font = { bold: true };
    for (const row of t.rows) sheet.addRow(row);
    sheet.columns.forEach((c) => (c.width = 18));
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer).slice().buffer;
}
