// Builds the kiosk in memory for the server to serve under /kiosk/. Keys are paths relative to
// /kiosk/. The first screen loads index.html, one entry script (preact, signals, the app), its
// shared chunks and the stylesheet; the camera reader and zxing's .wasm load only on the scan
// screen. Nothing refers to another origin: fonts and the .wasm are part of the output.
import { join } from "node:path";
import {
  addArabicFonts,
  appCsp,
  appIndexHtml,
  ASSETS,
  bundle,
  packageDir,
  printSizes,
  TYPES,
  type Asset,
} from "../ui/build.ts";

export type KioskAsset = Asset;

const BASE = "/kiosk/";
const HERE = import.meta.dir;

export async function buildKiosk(): Promise<Map<string, KioskAsset>> {
  const bundled = await bundle([join(HERE, "main.tsx"), join(HERE, "styles/kiosk.css")], BASE);
  const out = bundled.files;
  const wasm = join(packageDir("zxing-wasm", HERE), "dist/reader/zxing_reader.wasm");
  out.set(ASSETS + "zxing_reader.wasm", {
    body: new Uint8Array(await Bun.file(wasm).arrayBuffer()),
    type: TYPES.wasm ?? "",
  });
  await addArabicFonts(out);
  // The CSP proves the point of the build: scripts, styles, fonts, images, the .wasm and every
  // request stay on this origin. 'wasm-unsafe-eval' lets zxing compile its WebAssembly.
  const html = appIndexHtml({
    base: BASE,
    title: "积分超市",
    themeColor: "#b3261e",
    csp: appCsp({ wasm: true }),
    bundled,
    noscript: "本机需要启用 JavaScript。",
  });
  out.set("index.html", { body: new TextEncoder().encode(html), type: TYPES.html ?? "" });
  return out;
}

if (import.meta.main) printSizes(await buildKiosk());
