/**
 * How the demo presents itself once built: what its start page shows beyond a production server's
 * (the logins, the kiosks' pairing links, a sample card), and the addresses it prints.
 */
import type { DemoShowcase } from "../pages/start-page.ts";
import type { DemoSummary } from "./build.ts";

export function demoShowcase(summary: DemoSummary): DemoShowcase {
  const first = summary.villages[0];
  return {
    townshipName: summary.townshipName,
    password: summary.password,
    logins: summary.logins.map((l) => ({
      username: l.username,
      role: l.role,
      villageName: l.village,
    })),
    kioskPairPaths: summary.villages.map((v) => ({
      villageId: v.id,
      path: `/kiosk?pair=${v.kioskToken}`,
    })),
    sampleCardPath: new URL(summary.sampleCardUrl).pathname,
    cardSheetPath: first === undefined ? "/admin" : `/api/villages/${first.id}/cards/print`,
  };
}

const LABEL_COLUMNS = 48;

/** Pads to a width in terminal columns: a Chinese character takes two. */
function padToColumns(text: string, columns: number): string {
  const width = [...text].reduce(
    (n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1),
    0,
  );
  return text + " ".repeat(Math.max(0, columns - width));
}

/** The lines `bun run demo` prints once the server is up at `base`. */
export function demoPrintout(summary: DemoSummary, base: string, presentLabel: string): string {
  const show = demoShowcase(summary);
  const first = summary.villages[0];
  const boards = summary.villages.map((v) => `/board/${v.id}`).join(", ");
  const line = (label: string, address: string) =>
    `  ${padToColumns(label, LABEL_COLUMNS)} ${address}`;
  return `
jifen demo township ${summary.townshipName} is running at ${base}
${line("Start here (every page below, and the logins):", `${base}/`)}

  For everyone, no sign-in:
${line(`Kiosk (points supermarket), ${first?.name ?? ""}:`, `${base}${show.kioskPairPaths[0]?.path ?? "/kiosk"}`)}
${line("Resident card page (scan the QR on a card):", `${base}${show.sampleCardPath}`)}
${line("Public board (a screen in the village office):", `${base}/board/${first?.id ?? ""}   (all: ${boards})`)}
${line("Docs:", `${base}/docs/`)}
${line("API documentation:", `${base}/api/docs`)}

  Staff (sign in with one of the logins below):
${line("Staff pages:", `${base}/admin`)}
${line("Sign-in page:", `${base}/admin/login`)}
${line("Card sheet for printing (needs sign-in):", `${base}${show.cardSheetPath}`)}

  Logins (password ${summary.password} for all):
${summary.logins.map((l) => `    ${l.username.padEnd(10)} ${l.role.padEnd(15)} ${l.village ?? "whole township"}`).join("\n")}

  Kiosk pairing links for the other villages:
${summary.villages
  .slice(1)
  .map((v) => `    ${v.name}: ${base}/kiosk?pair=${v.kioskToken}`)
  .join("\n")}

  The demo's present is ${presentLabel} (China time): entries on notice, claims and objections
  wait in the staff pages' review queue (/admin/review).

Press Ctrl+C to stop.`;
}
