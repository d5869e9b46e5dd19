/**
 * The same report as CSV (UTF-8 with a BOM, so Excel in China opens it without garbling) and as
 * an XLSX workbook. Both are built from one list of tables, so the figures cannot drift apart.
 */
import type { Report } from "./report.ts";
import { t, type MessageKey } from "../i18n/catalog.ts";
import { maskName } from "../villages/names.ts";

type Table = { sheet: string; title: string; header: string[]; rows: (string | number)[][] };

/**
 * Column headers and titles in English and Chinese side by side ("awarded 加分"), both from the
 * message catalog: a township office shares these files with people who read either.
 */
const both = (key: MessageKey): string => `${t(key, {}, "en")} ${t(key)}`;
const sheetName = (key: MessageKey): string => t(key, {}, "en");

const FIGURE_KEYS: MessageKey[] = [
  "report.awarded",
  "report.deducted",
  "report.redeemed",
  "report.expired",
  "report.net",
];
const figures = (f: {
  awarded: number;
  deducted: number;
  redeemed: number;
  expired: number;
  net: number;
}): number[] => [f.awarded, f.deducted, f.redeemed, f.expired, f.net];

/** The tables of a report, in order; the township's adds its villages side by side. */
export function reportTables(r: Report, scope: "village" | "township" = "village"): Table[] {
  const FIGURE_HEADER = FIGURE_KEYS.map(both);
  const villageName = new Map(r.villages.map((v) => [v.id, v.name]));
  const ranked = (key: MessageKey, list: Report["honourBoard"]["top"]): Table => ({
    sheet: sheetName(key),
    title: both(key),
    header: [
      both("report.rank"),
      both("report.village"),
      both("report.household"),
      both("report.honourScore"),
      both("report.earned"),
      both("report.maskedName"),
    ],
    rows: list.map((h, i) => [
      i + 1,
      villageName.get(h.villageId) ?? "",
      h.headName,
      h.honourScore,
      h.earned,
      maskName(h.headName),
    ]),
  });
  const tables: Table[] = [
    {
      sheet: sheetName("report.sheet.summary"),
      title: `${both("report.sheet.summary")} ${r.from} – ${r.to}`,
      header: [
        ...FIGURE_HEADER,
        both("report.householdsActive"),
        both("report.goodsRedeemedPoints"),
        both("report.householdsTotal"),
      ],
      rows: [
        [...figures(r.totals), r.householdsActive, r.goodsRedeemed.points, r.households.total],
      ],
    },
    {
      sheet: sheetName("report.sheet.byMonth"),
      title: both("report.sheet.byMonth"),
      header: [both("report.month"), ...FIGURE_HEADER],
      rows: r.byMonth.map((m) => [m.month, ...figures(m)]),
    },
    {
      sheet: sheetName("report.sheet.byCategory"),
      title: both("report.sheet.byCategory"),
      header: [both("report.category"), ...FIGURE_HEADER],
      rows: r.byCategory.map((c) => [c.category, ...figures(c)]),
    },
    {
      sheet: sheetName("report.sheet.activeByMonth"),
      title: both("report.sheet.activeByMonth"),
      header: [both("report.month"), both("report.active")],
      rows: r.activeByMonth.map((m) => [m.month, m.active]),
    },
    {
      sheet: sheetName("report.sheet.byVillage"),
      title: both("report.sheet.byVillage"),
      header: [
        both("report.village"),
        ...FIGURE_HEADER,
        both("report.householdsActive"),
        both("report.starCounts"),
      ],
      rows: r.byVillage.map((v) => [
        v.villageName,
        ...figures(v),
        v.householdsActive,
        v.starCounts.join(" / "),
      ]),
    },
    ranked("report.sheet.honourBoard", r.honourBoard.top),
  ];
  if (r.honourBoard.bottom !== null)
    tables.push(ranked("report.sheet.bottomList", r.honourBoard.bottom));
  tables.push({
    sheet: sheetName("report.sheet.stars"),
    title: both("report.sheet.stars"),
    header: [
      both("report.village"),
      both("report.household"),
      both("report.stars"),
      both("report.honourScore"),
      both("report.earned"),
    ],
    rows: r.starHouseholds.map((h) => [
      villageName.get(h.villageId) ?? "",
      h.headName,
      h.stars,
      h.honourScore,
      h.earned,
    ]),
  });
  // The same goods lines as the JSON answer, so the three formats carry the same figures.
  tables.push({
    sheet: sheetName("report.sheet.goods"),
    title: both("report.sheet.goods"),
    header: [both("report.goods"), both("report.quantity"), both("report.points")],
    rows: r.goodsRedeemed.items.map((g) => [g.name, g.quantity, g.points]),
  });
  if (scope === "township") {
    tables.push({
      sheet: sheetName("report.sheet.villages"),
      title: both("report.sheet.villages"),
      header: [
        both("report.village"),
        both("report.householdsTotal"),
        both("report.householdsActive"),
        both("report.participation"),
        both("report.awarded"),
        both("report.deducted"),
        both("report.redeemed"),
        both("report.pointsPerHousehold"),
      ],
      rows: r.comparison.map((v) => [
        v.name,
        v.households,
        v.activeHouseholds,
        v.participation,
        v.awarded,
        v.deducted,
        v.redeemed,
        v.pointsPerHousehold,
      ]),
    });
  }
  return tables;
}

function csvCell(v: string | number): string {
  const s = String(v);
  // Quote what needs it, and defuse cells Excel would run as formulas.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === "string" ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function reportCsv(r: Report, scope: "village" | "township" = "village"): string {
  const lines: string[] = [];
  for (const t of reportTables(r, scope)) {
    lines.push(
      csvCell(t.title),
      t.header.map(csvCell).join(","),
      ...t.rows.map((row) => row.map(csvCell).join(",")),
      "",
    );
  }
  return "\uFEFF" + lines.join("\r\n");
}

export async function reportXlsx(
  r: Report,
  scope: "village" | "township" = "village",
): Promise<ArrayBuffer> {
  // Loaded on the first export, not at start: exceljs is seconds of module loading on a small
  // machine, which a restart after a power cut should not wait for.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "jifen";
  for (const t of reportTables(r, scope)) {
    const sheet = workbook.addWorksheet(t.sheet);
    sheet.addRow([t.title]).font = { bold: true };
    sheet.addRow(t.header).font = { bold: true };
    for (const row of t.rows) sheet.addRow(row);
    sheet.columns.forEach((c) => (c.width = 18));
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer).slice().buffer;
}
