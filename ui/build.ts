// Bundles a Preact app (the kiosk or the staff pages) in memory for the server to serve under its
// own base path. Keys of the result are paths relative to that base. Scripts are split so that a
// page loaded later (import()) is its own chunk; only what the entry imports statically is
// preloaded. Nothing refers to another origin: fonts are part of the output.
import { dirname, join } from "node:path";

export interface Asset {
  body: Uint8Array;
  type: string;
}

export const ASSETS = "assets/";

export const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  wasm: "application/wasm",
  woff2: "font/woff2",
  html: "text/html; charset=utf-8",
  svg: "image/svg+xml",
};

export function typeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1);
  return TYPES[ext] ?? "application/octet-stream";
}

export function packageDir(name: string, from: string): string {
  return dirname(Bun.resolveSync(`${name}/package.json`, from));
}

const ARABIC_FONTS: { file: string; weight: number }[] = [
  { file: "noto-sans-arabic-arabic-400-normal.woff2", weight: 400 },
  { file: "noto-sans-arabic-arabic-700-normal.woff2", weight: 700 },
];

// The @fontsource unicode-range for its "arabic" subset, so Chinese and Latin never wait on it.
const ARABIC_RANGE =
  "U+0600-06FF, U+0750-077F, U+0870-088E, U+0890-0891, U+0897-08E1, U+08E3-08FF, U+200C-200E, U+2010-2011, U+204F, U+2E41, U+FB50-FDFF, U+FE70-FE74, U+FE76-FEFC";

/** @font-face rules for Uyghur's Arabic script, served from `${base}fonts/`. */
export function arabicFontFaces(base: string): string {
  return ARABIC_FONTS.map(
    (f) =>
      `@font-face{font-family:"Noto Sans Arabic";font-style:normal;font-display:swap;font-weight:${f.weight};` +
      `src:url(${base}fonts/${f.file}) format("woff2");unicode-range:${ARABIC_RANGE}}`,
  ).join("");
}

/** Adds the Arabic-script font files to a bundle, under fonts/. */
export async function addArabicFonts(out: Map<string, Asset>): Promise<void> {
  const fontDir = join(packageDir("@fontsource/noto-sans-arabic", import.meta.dir), "files");
  for (const f of ARABIC_FONTS) {
    out.set(`fonts/${f.file}`, {
      body: new Uint8Array(await Bun.file(join(fontDir, f.file)).arrayBuffer()),
      type: TYPES.woff2 ?? "",
    });
  }
}

export type Bundled = {
  files: Map<string, Asset>;
  entry: string;
  styles: string[];
  preloads: string[];
};

/** Runs Bun's bundler over one script entry (named main.tsx) and its stylesheets. */
export async function bundle(entrypoints: string[], base: string): Promise<Bundled> {
  const result = await Bun.build({
    entrypoints,
    target: "browser",
    format: "esm",
    minify: true,
    splitting: true,
    sourcemap: "none",
    publicPath: base + ASSETS,
    naming: {
      entry: "[name]-[hash].[ext]",
      chunk: "[name]-[hash].[ext]",
      asset: "[name]-[hash].[ext]",
    },
    define: { "process.env.NODE_ENV": '"production"' },
  });
  if (!result.success) {
    throw new AggregateError(
      result.logs,
      `build of ${base} failed: ` + result.logs.map((l) => l.message).join("; "),
    );
  }
  const files = new Map<string, Asset>();
  let entry: string | null = null;
  const styles: string[] = [];
  const chunks: string[] = [];
  for (const artifact of result.outputs) {
    const name = artifact.path.replace(/^\.\//, "");
    const key = ASSETS + name;
    files.set(key, { body: new Uint8Array(await artifact.arrayBuffer()), type: typeOf(name) });
    if (artifact.kind === "entry-point" && name.endsWith(".js") && name.startsWith("main-"))
      entry = key;
    else if (name.endsWith(".css")) styles.push(key);
    else if (artifact.kind === "chunk" && name.endsWith(".js")) chunks.push(key);
  }
  if (entry === null) throw new Error(`build of ${base} made no main script`);
  // Preload only the chunks the entry imports statically, not those loaded later by import().
  const entryText = new TextDecoder().decode(files.get(entry)?.body).replace(/\s/g, "");
  const preloads = chunks.filter((c) => entryText.includes(`from"${base}${c}"`));
  return { files, entry, styles, preloads };
}

/** The same-origin content security policy of an app page; `wasm` lets a WebAssembly reader compile. */
export function appCsp(options: { wasm: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self'${options.wasm ? " 'wasm-unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
}

/** The shell page of an app: its scripts, styles and preloads, with the policy in a meta tag too. */
export function appIndexHtml(options: {
  base: string;
  title: string;
  themeColor: string;
  csp: string;
  bundled: Bundled;
  noscript: string;
}): string {
  const { base, bundled } = options;
  return `<!doctype html>
<html lang="zh-CN" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta http-equiv="Content-Security-Policy" content="${options.csp}">
<meta name="theme-color" content="${options.themeColor}">
<meta name="color-scheme" content="light">
<link rel="icon" href="data:,">
<title>${options.title}</title>
<style>${arabicFontFaces(base)}</style>
${bundled.styles.map((s) => `<link rel="stylesheet" href="${base}${s}">`).join("\n")}
${bundled.preloads.map((p) => `<link rel="modulepreload" href="${base}${p}">`).join("\n")}
<script type="module" src="${base}${bundled.entry}"></script>
</head>
<body>
<div id="app"></div>
<noscript>${options.noscript}</noscript>
</body>
</html>
`;
}

/** Prints each file of a bundle with its size and gzip size (`bun kiosk/build.ts`, `bun admin/build.ts`). */
export function printSizes(files: Map<string, Asset>): void {
  for (const [key, { body }] of files) {
    const gz = Bun.gzipSync(new Uint8Array(body)).length;
    console.log(
      `${key.padEnd(52)} ${String(body.length).padStart(9)} B  ${String(gz).padStart(8)} B gz`,
    );
  }
}
