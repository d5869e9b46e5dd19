// Builds the kiosk in memory for the server to serve under /kiosk/. Keys are paths relative to
// /kiosk/. The first screen loads index.html, one entry script (preact, signals, the app), its
// shared chunks and the stylesheet; the camera reader and zxing's .wasm load only on the scan
// screen. Nothing refers to another origin: fonts and the .wasm are part of the output.
import { dirname, join } from "node:path";

export interface KioskAsset {
  body: Uint8Array;
  type: string;
}

const BASE = "/kiosk/";
const ASSETS = "assets/";
const HERE = import.meta.dir;

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  wasm: "application/wasm",
  woff2: "font/woff2",
  html: "text/html; charset=utf-8",
  svg: "image/svg+xml",
};

function typeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1);
  return TYPES[ext] ?? "application/octet-stream";
}

function packageDir(name: string): string {
  return dirname(Bun.resolveSync(`${name}/package.json`, HERE));
}

const FONTS: { file: string; weight: number }[] = [
  { file: "noto-sans-arabic-arabic-400-normal.woff2", weight: 400 },
  { file: "noto-sans-arabic-arabic-700-normal.woff2", weight: 700 },
];

// The @fontsource unicode-range for its "arabic" subset, so Chinese and Latin never wait on it.
const ARABIC_RANGE = "U+0600-06FF, U+0750-077F, U+0870-088E, U+0890-0891, U+0897-08E1, U+08E3-08FF, U+200C-200E, U+2010-2011, U+204F, U+2E41, U+FB50-FDFF, U+FE70-FE74, U+FE76-FEFC";

function fontFaces(): string {
  return FONTS.map(
    (f) =>
      `@font-face{font-family:"Noto Sans Arabic";font-style:normal;font-display:swap;font-weight:${f.weight};` +
      `src:url(${BASE}fonts/${f.file}) format("woff2");unicode-range:${ARABIC_RANGE}}`,
  ).join("");
}

function indexHtml(script: string, styles: string[], preloads: string[]): string {
  // The CSP proves the point of the build: scripts, styles, fonts, images, the .wasm and every
  // request stay on this origin. 'wasm-unsafe-eval' lets zxing compile its WebAssembly.
  const csp = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
  return `<!doctype html>
<html lang="zh-CN" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="theme-color" content="#b3261e">
<meta name="color-scheme" content="light">
<link rel="icon" href="data:,">
<title>积分超市</title>
<style>${fontFaces()}</style>
${styles.map((s) => `<link rel="stylesheet" href="${BASE}${s}">`).join("\n")}
${preloads.map((p) => `<link rel="modulepreload" href="${BASE}${p}">`).join("\n")}
<script type="module" src="${BASE}${script}"></script>
</head>
<body>
<div id="app"></div>
<noscript>本机需要启用 JavaScript。</noscript>
</body>
</html>
`;
}

export async function buildKiosk(): Promise<Map<string, KioskAsset>> {
  const result = await Bun.build({
    entrypoints: [join(HERE, "main.tsx"), join(HERE, "styles/kiosk.css")],
    target: "browser",
    format: "esm",
    minify: true,
    splitting: true,
    sourcemap: "none",
    publicPath: BASE + ASSETS,
    naming: { entry: "[name]-[hash].[ext]", chunk: "[name]-[hash].[ext]", asset: "[name]-[hash].[ext]" },
    define: { "process.env.NODE_ENV": '"production"' },
  });
  if (!result.success) {
    throw new AggregateError(result.logs, "kiosk build failed: " + result.logs.map((l) => l.message).join("; "));
  }

  const out = new Map<string, KioskAsset>();
  let entry: string | null = null;
  const styles: string[] = [];
  const chunks: string[] = [];
  for (const artifact of result.outputs) {
    const name = artifact.path.replace(/^\.\//, "");
    const key = ASSETS + name;
    out.set(key, { body: new Uint8Array(await artifact.arrayBuffer()), type: typeOf(name) });
    if (artifact.kind === "entry-point" && name.endsWith(".js") && name.startsWith("main-")) entry = key;
    else if (name.endsWith(".css")) styles.push(key);
    else if (artifact.kind === "chunk" && name.endsWith(".js")) chunks.push(key);
  }
  if (entry === null) throw new Error("kiosk build made no main script");

  // Preload only the chunks the entry imports statically (preact and the app), not the camera.
  const entryText = new TextDecoder().decode(out.get(entry)?.body);
  const preloads = chunks.filter((c) => {
    const file = c.slice(ASSETS.length);
    return new RegExp(`from"${BASE}${ASSETS}${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`).test(entryText.replace(/\s/g, ""));
  });

  const wasm = join(packageDir("zxing-wasm"), "dist/reader/zxing_reader.wasm");
  out.set(ASSETS + "zxing_reader.wasm", { body: new Uint8Array(await Bun.file(wasm).arrayBuffer()), type: TYPES.wasm ?? "" });

  const fontDir = join(packageDir("@fontsource/noto-sans-arabic"), "files");
  for (const f of FONTS) {
    out.set(`fonts/${f.file}`, { body: new Uint8Array(await Bun.file(join(fontDir, f.file)).arrayBuffer()), type: TYPES.woff2 ?? "" });
  }

  out.set("index.html", { body: new TextEncoder().encode(indexHtml(entry, styles, preloads)), type: TYPES.html ?? "" });
  return out;
}

if (import.meta.main) {
  const files = await buildKiosk();
  for (const [key, { body }] of files) {
    const gz = Bun.gzipSync(new Uint8Array(body)).length;
    console.log(`${key.padEnd(52)} ${String(body.length).padStart(9)} B  ${String(gz).padStart(8)} B gz`);
  }
}
