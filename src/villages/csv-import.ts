import iconv from "iconv-lite";
import Papa from "papaparse";
import { z } from "zod";
import type { NewHousehold } from "./household-store.ts";
import { nameProblem, nameProblemMessage } from "../shared/name.ts";
import { ok } from "../shared/result.ts";
import { refusal, type VillageResult } from "./refusal.ts";

/**
 * Parsing a household CSV: pure, no database. Excel in China saves CSV as GBK; newer Excel and
 * WPS save UTF-8 with a BOM. Headers may be Chinese or English, in any order.
 */

const HEADER_ALIASES: Record<string, keyof ImportColumns> = {
  户主: "headName",
  户主姓名: "headName",
  姓名: "headName",
  headname: "headName",
  head: "headName",
  住址: "address",
  地址: "address",
  家庭住址: "address",
  address: "address",
  成员: "members",
  家庭成员: "members",
  members: "members",
  编号: "externalId",
  户号: "externalId",
  户编号: "externalId",
  externalid: "externalId",
  id: "externalId",
};

type ImportColumns = { headName: number; address: number; members: number; externalId: number };

export type ParsedRow = { line: number; household: NewHousehold };
export type RowError = { line: number; message: string };
export type ParsedCsv = { encoding: "utf-8" | "gbk"; rows: ParsedRow[]; errors: RowError[] };

const MEMBER_SEPARATORS = /[、,;，；]/;

/** A name in a row is held to the same rule as a name sent to the API (src/shared/name.ts). */
const visibleName = (label: string) => (name: string, ctx: z.RefinementCtx) => {
  const problem = nameProblem(name);
  if (problem !== null)
    ctx.addIssue({ code: "custom", message: `${label} ${nameProblemMessage(problem)}` });
};

const RowSchema = z.object({
  headName: z
    .string()
    .trim()
    .min(1, "户主 (headName) is empty")
    .max(40, "户主 (headName) is longer than 40 characters")
    .superRefine(visibleName("户主 (headName)")),
  address: z.string().trim().max(120, "住址 (address) is longer than 120 characters"),
  externalId: z.string().trim().max(40, "编号 (externalId) is longer than 40 characters"),
  members: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(40, "a member's name is longer than 40 characters")
        .superRefine(visibleName("a member's name")),
    )
    .max(30, "more than 30 members"),
});

export class CsvHeaderError extends Error {
  override name = "CsvHeaderError";
}

/** Decodes bytes as UTF-8 (BOM or not) when they are valid UTF-8, else as GBK. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: "utf-8" | "gbk" } {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body), encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(Buffer.from(body), "gbk"), encoding: "gbk" };
  }
}

/** Rows parsed between two yields to the event loop by `parseHouseholdCsvYielding`. */
export const PARSE_PIECE_ROWS = 2_000;

/** Parses a whole file at once: for small files and tests. */
export function parseHouseholdCsv(bytes: Uint8Array): ParsedCsv {
  const parser = new PieceParser(bytes);
  for (const piece of parser.pieces(Number.MAX_SAFE_INTEGER)) parser.parse(piece);
  return parser.finish();
}

/**
 * Parses a file a piece of PARSE_PIECE_ROWS rows at a time, yielding to the event loop between
 * pieces: 100,000 rows take about half a second to parse and check, which would hold up every
 * other request (a kiosk's card read) if done in one go.
 */
export async function parseHouseholdCsvYielding(
  bytes: Uint8Array,
  yieldToLoop: () => Promise<void>,
): Promise<ParsedCsv> {
  const parser = new PieceParser(bytes);
  for (const piece of parser.pieces(PARSE_PIECE_ROWS)) {
    parser.parse(piece);
    await yieldToLoop();
  }
  return parser.finish();
}

/** parseHouseholdCsvYielding, with a file whose header cannot be read refused as a value. */
export async function readHouseholdCsv(
  bytes: Uint8Array,
  yieldToLoop: () => Promise<void>,
): Promise<VillageResult<ParsedCsv>> {
  try {
    return ok(await parseHouseholdCsvYielding(bytes, yieldToLoop));
  } catch (error) {
    if (error instanceof CsvHeaderError)
      return refusal("validation", error.message, {
        errors: [{ path: "body", message: error.message }],
      });
    throw error;
  }
}

/** The state of one file's parse: its text, line starts, header and what the rows gave so far. */
class PieceParser {
  readonly encoding: "utf-8" | "gbk";
  private readonly text: string;
  private readonly lineStarts: number[];
  private readonly rows: ParsedRow[] = [];
  private readonly errors: RowError[] = [];
  private columns: ImportColumns | null = null;
  private headerError: string | null = null;
  /** Found by Papa on the file's first piece, then held for the rest: a piece must not guess again. */
  private delimiter: string | null = null;

  constructor(bytes: Uint8Array) {
    const decoded = decodeCsv(bytes);
    this.text = decoded.text;
    this.encoding = decoded.encoding;
    // Line numbers: the header is line 1.
    this.lineStarts = lineStartOffsets(this.text);
  }

  /**
   * The file cut into pieces of about `rowsPerPiece` records, each ending after a line break that
   * is outside quotes, so no record (a quoted field may hold a line break) is cut in two.
   */
  *pieces(rowsPerPiece: number): Generator<{ start: number; end: number }> {
    const text = this.text;
    let start = 0;
    let records = 0;
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34)
        quoted = !quoted; // '"'; a doubled quote inside a field toggles twice
      else if (c === 10 && !quoted && ++records >= rowsPerPiece) {
        yield { start, end: i + 1 };
        start = i + 1;
        records = 0;
      }
    }
    if (start < text.length) yield { start, end: text.length };
  }

  /** Parses one piece; rows are parsed one at a time so a row reports the line on which it starts. */
  parse(piece: { start: number; end: number }): void {
    const text = this.text.slice(piece.start, piece.end);
    let rowStartOffset = 0;
    Papa.parse<string[]>(text, {
      skipEmptyLines: false,
      ...(this.delimiter === null ? {} : { delimiter: this.delimiter }),
      step: (result) => {
        this.delimiter ??= result.meta.delimiter;
        const line = lineAt(this.lineStarts, piece.start + rowStartOffset);
        rowStartOffset = result.meta.cursor;
        // Skip the newline that ended the row so the next row starts on its own line.
        while (
          rowStartOffset < text.length &&
          (text[rowStartOffset] === "\n" || text[rowStartOffset] === "\r")
        ) {
          if (text[rowStartOffset] === "\n") {
            rowStartOffset++;
            break;
          }
          rowStartOffset++;
        }
        this.take(line, result.data, result.errors);
      },
    });
  }

  private take(line: number, cells: string[], parseErrors: readonly { message: string }[]): void {
    if (this.columns === null && this.headerError === null) {
      try {
        this.columns = mapHeader(cells);
      } catch (error) {
        this.headerError = (error as Error).message;
      }
      return;
    }
    if (this.columns === null) return;
    if (cells.every((cell) => cell.trim() === "")) return;
    if (parseErrors.length > 0) {
      this.errors.push({ line, message: parseErrors.map((e) => e.message).join("; ") });
      return;
    }
    const parsed = parseRow(cells, this.columns);
    if (parsed.ok) this.rows.push({ line, household: parsed.household });
    else this.errors.push({ line, message: parsed.message });
  }

  finish(): ParsedCsv {
    if (this.headerError !== null) throw new CsvHeaderError(this.headerError);
    if (this.columns === null)
      throw new CsvHeaderError("The file is empty: it needs a header line with 户主 (headName).");
    return { encoding: this.encoding, rows: this.rows, errors: this.errors };
  }
}

function mapHeader(cells: string[]): ImportColumns {
  const columns: Partial<ImportColumns> = {};
  cells.forEach((cell, index) => {
    const key =
      HEADER_ALIASES[cell.trim().replace(/\s+/g, "").toLowerCase()] ?? HEADER_ALIASES[cell.trim()];
    if (key !== undefined && columns[key] === undefined) columns[key] = index;
  });
  if (columns.headName === undefined) {
    throw new CsvHeaderError(
      `The header line has no 户主 (headName) column. Found: ${cells.map((c) => c.trim()).join(", ") || "nothing"}. Known columns: 户主/headName, 住址/address, 成员/members, 编号/externalId.`,
    );
  }
  return {
    headName: columns.headName,
    address: columns.address ?? -1,
    members: columns.members ?? -1,
    externalId: columns.externalId ?? -1,
  };
}

function parseRow(
  cells: string[],
  columns: ImportColumns,
): { ok: true; household: NewHousehold } | { ok: false; message: string } {
  const cell = (index: number) => (index >= 0 ? (cells[index] ?? "") : "");
  const memberNames = cell(columns.members)
    .split(MEMBER_SEPARATORS)
    .map((m) => m.trim())
    .filter((m) => m.length > 0);
  const parsed = RowSchema.safeParse({
    headName: cell(columns.headName),
    address: cell(columns.address),
    externalId: cell(columns.externalId),
    members: memberNames,
  });
  if (!parsed.success)
    return { ok: false, message: parsed.error.issues.map((i) => i.message).join("; ") };
  const r = parsed.data;
  return {
    ok: true,
    household: {
      headName: r.headName,
      address: r.address,
      externalId: r.externalId === "" ? null : r.externalId,
      members: r.members.map((name) => ({ name, relation: null })),
    },
  };
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
