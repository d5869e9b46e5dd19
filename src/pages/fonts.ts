/**
 * The Uyghur (Arabic-script) font of the server's resident pages, from the same package and with
 * the same @font-face rules as the kiosk's (ui/build.ts), served under /fonts/. Its unicode-range
 * keeps a Chinese page from ever downloading it; a phone that has its own Arabic-script font
 * still draws with this one, so every phone and the board show Uyghur alike.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { addArabicFonts, arabicFontFaces, type Asset } from "../../ui/build.ts";

export const PAGE_FONT_FACES = arabicFontFaces("/");

export function registerPageFonts(app: Hono<AppEnv>): void {
  let files: Promise<Map<string, Asset>> | null = null;
  app.get("/fonts/:file", async (c) => {
    files ??= (async () => {
      const out = new Map<string, Asset>();
      await addArabicFonts(out);
      return out;
    })();
    const file = (await files).get(`fonts/${c.req.param("file")}`);
    if (file === undefined) return c.notFound();
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      "content-type": file.type,
      "cache-control": "public, max-age=86400",
    });
  });
}
