// Builds the staff pages in memory for the server to serve under /admin/. A bundle of its own,
// apart from the kiosk's (the kiosk must not grow): the first screen loads the shell (preact,
// signals, router, catalog) and the page it opens; every other page is a chunk loaded on demand.
import { join } from "node:path";
import {
  addArabicFonts,
  appCsp,
  appIndexHtml,
  bundle,
  printSizes,
  TYPES,
  type Asset,
} from "../ui/build.ts";

export const ADMIN_BASE = "/admin/";
const HERE = import.meta.dir;

export async function buildAdmin(): Promise<Map<string, Asset>> {
  const bundled = await bundle(
    [join(HERE, "main.tsx"), join(HERE, "styles/admin.css")],
    ADMIN_BASE,
  );
  const out = bundled.files;
  await addArabicFonts(out);
  const html = appIndexHtml({
    base: ADMIN_BASE,
    title: "村务积分管理",
    themeColor: "#9f1d17",
    csp: appCsp({ wasm: false }),
    bundled,
    noscript: "请在浏览器中启用 JavaScript 后再使用本系统。",
  });
  out.set("index.html", { body: new TextEncoder().encode(html), type: TYPES.html ?? "" });
  return out;
}

if (import.meta.main) printSizes(await buildAdmin());
