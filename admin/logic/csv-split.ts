// Splits a CSV file into pieces that each start with the header, so that a large import can be
// sent piece by piece with a progress bar. A record ends at a line break outside quotes (a quoted
// field may hold line breaks). Each piece says which line of the file its first record is on, so
// the server's line numbers can be made the file's. Pure.

export type CsvPiece = { text: string; rows: number; firstLine: number };

/** The file's records after the header, each with the line it starts on (the header is line 1). */
export function csvRecords(text: string): {
  header: string;
  records: { text: string; line: number }[];
} {
  const body = text.replace(/^\uFEFF/, "");
  const records: { text: string; line: number }[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let quoted = false;
  const push = (end: number) => {
    const record = body.slice(start, end).replace(/\r$/, "");
    records.push({ text: record, line: startLine });
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "\n") {
      if (!quoted) {
        push(i);
        start = i + 1;
        startLine = line + 1;
      }
      line++;
    }
  }
  if (start < body.length) push(body.length);
  const [header, ...rest] = records;
  // Blank lines stay where they are, so that line numbers inside a piece match the file's.
  while (rest.length > 0 && rest[rest.length - 1]!.text.trim() === "") rest.pop();
  return { header: header?.text ?? "", records: rest };
}

export function csvPieces(text: string, rowsPerPiece: number): CsvPiece[] {
  const { header, records } = csvRecords(text);
  const pieces: CsvPiece[] = [];
  for (let i = 0; i < records.length; i += rowsPerPiece) {
    const slice = records.slice(i, i + rowsPerPiece);
    const rows = slice.filter((r) => r.text.trim() !== "").length;
    pieces.push({
      text: [header, ...slice.map((r) => r.text)].join("\n") + "\n",
      rows,
      firstLine: slice[0]?.line ?? 2,
    });
  }
  return pieces;
}

/** Reads a file's bytes as Excel saves a CSV: UTF-8 (with or without BOM), else GBK. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: "utf-8" | "gbk" } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("gbk").decode(bytes), encoding: "gbk" };
  }
}
