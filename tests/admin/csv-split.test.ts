// Proves the import's pieces: every record lands in exactly one piece, each piece starts with the
// header, quoted line breaks stay inside their record, and each piece knows the file line of its
// first record, so the server's line numbers can be made the file's.
import { expect, test } from "bun:test";
import fc from "fast-check";
import Papa from "papaparse";
import { csvPieces, csvRecords, decodeCsv } from "../../admin/logic/csv-split.ts";
import iconv from "iconv-lite";

test("a quoted field with a line break stays in its record, and line numbers follow the file", () => {
  const text = '户主,住址\n张三,"东河村\n3组"\n李四,东河村4组\n';
  const { header, records } = csvRecords(text);
  expect(header).toBe("户主,住址");
  expect(records).toEqual([
    { text: '张三,"东河村\n3组"', line: 2 },
    { text: "李四,东河村4组", line: 4 },
  ]);
});

test("the pieces hold every record once, each under the header, in order", () => {
  const cell = fc.oneof(
    fc.stringMatching(/^[^",\n\r]{0,6}$/),
    fc.string({ maxLength: 6 }).map((s) => `"${s.replace(/"/g, '""')}"`),
  );
  const row = fc.array(cell, { minLength: 2, maxLength: 2 }).map((cells) => cells.join(","));
  fc.assert(
    fc.property(
      fc.array(row, { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 7 }),
      (rows, size) => {
        const text = ["a,b", ...rows].join("\r\n") + "\r\n";
        const pieces = csvPieces(text, size);
        const parsed = (t: string) =>
          Papa.parse<string[]>(t, { skipEmptyLines: false, delimiter: "," }).data.filter(
            (r) => r.join("") !== "" || r.length > 1,
          );
        const whole = parsed(text).slice(1);
        const fromPieces = pieces.flatMap((p) => {
          const rs = parsed(p.text);
          expect(rs[0]).toEqual(["a", "b"]);
          return rs.slice(1);
        });
        expect(fromPieces).toEqual(whole);
        for (const p of pieces)
          expect(text.replace(/\r\n/g, "\n").split("\n")[p.firstLine - 1]).toBe(
            p.text.split("\n")[1]!.replace(/\r$/, ""),
          );
      },
    ),
  );
});

test("reads UTF-8 with a BOM and GBK as Excel saves them", () => {
  // The BOM Excel writes is read as the mark it is, not as part of the first column's name.
  expect(decodeCsv(new TextEncoder().encode("\uFEFF户主\n张三\n"))).toEqual({
    text: "户主\n张三\n",
    encoding: "utf-8",
  });
  expect(decodeCsv(new Uint8Array(iconv.encode("户主\n张三\n", "gbk")))).toEqual({
    text: "户主\n张三\n",
    encoding: "gbk",
  });
});
