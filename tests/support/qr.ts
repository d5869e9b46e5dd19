/** Reads QR codes out of a picture (a screenshot), with zxing's WebAssembly reader, offline. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";

let prepared = false;

/** The texts of the QR codes in a PNG or JPEG. */
export async function readQrCodes(image: Uint8Array): Promise<string[]> {
  if (!prepared) {
    const wasm = readFileSync(
      join(dirname(require.resolve("zxing-wasm/package.json")), "dist/reader/zxing_reader.wasm"),
    );
    prepareZXingModule({
      overrides: {
        wasmBinary: wasm.buffer.slice(
          wasm.byteOffset,
          wasm.byteOffset + wasm.byteLength,
        ) as ArrayBuffer,
      },
      fireImmediately: true,
    });
    prepared = true;
  }
  const results = await readBarcodes(new Blob([new Uint8Array(image)], { type: "image/png" }), {
    formats: ["QRCode"],
  });
  return results.map((r) => r.text);
}
