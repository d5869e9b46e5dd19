/**
 * Proves how the demo presents itself: its printout lists the start page, the pages anyone may
 * open, and apart from them the staff pages, the sign-in page and the card sheet (which needs a
 * session, so it is said so); the start page's showcase carries the logins and the addresses as
 * paths. Pure functions over a summary written out here.
 */
import { expect, test } from "bun:test";
import { demoPrintout, demoShowcase } from "../../src/demo/showcase.ts";
import type { DemoSummary } from "../../src/demo/build.ts";

const summary: DemoSummary = {
  townshipName: "青石镇",
  password: "demo-password-2026",
  logins: [
    { username: "qs_admin", role: "township_admin", village: null },
    { username: "dh_admin", role: "village_admin", village: "东河村" },
    { username: "dh_clerk", role: "clerk", village: "东河村" },
  ],
  villages: [
    { id: 1, code: "DH", name: "东河村", kioskToken: "K1", noticeDays: 3, requireApproval: true },
    {
      id: 2,
      code: "SQ",
      name: "石桥社区",
      kioskToken: "K2",
      noticeDays: 0,
      requireApproval: false,
    },
  ],
  sampleCardUrl: "http://localhost:3000/c/CARD",
  counts: {
    entries: 0,
    approved: 0,
    sales: 0,
    refused: 0,
    intakes: 0,
    claims: 0,
    objections: 0,
    soldDown: 0,
    writtenOff: 0,
  },
};

test("the printout lists the start page, then public pages, then the staff pages with the card sheet needing sign-in", () => {
  const text = demoPrintout(summary, "http://localhost:3000", "2026-12-04 15:00");
  const [publicPart, staffPart] = text.split("Staff (sign in with one of the logins below):") as [
    string,
    string,
  ];
  expect(staffPart).toBeDefined();
  expect(publicPart).toContain("http://localhost:3000/\n");
  for (const path of ["/kiosk?pair=K1", "/c/CARD", "/board/1", "/docs/", "/api/docs"])
    expect(publicPart).toContain(`http://localhost:3000${path}`);
  expect(publicPart).not.toContain("/cards/print");
  expect(staffPart).toMatch(/Staff pages:\s+http:\/\/localhost:3000\/admin\n/);
  expect(staffPart).toMatch(/Sign-in page:\s+http:\/\/localhost:3000\/admin\/login\n/);
  expect(staffPart).toMatch(
    /Card sheet for printing \(needs sign-in\):\s+http:\/\/localhost:3000\/api\/villages\/1\/cards\/print\n/,
  );
  expect(staffPart).toContain("password demo-password-2026");
  expect(staffPart).toContain("石桥社区: http://localhost:3000/kiosk?pair=K2");
});

test("the showcase gives the start page the logins and every address as a path", () => {
  expect(demoShowcase(summary)).toEqual({
    townshipName: "青石镇",
    password: "demo-password-2026",
    logins: [
      { username: "qs_admin", role: "township_admin", villageName: null },
      { username: "dh_admin", role: "village_admin", villageName: "东河村" },
      { username: "dh_clerk", role: "clerk", villageName: "东河村" },
    ],
    kioskPairPaths: [
      { villageId: 1, path: "/kiosk?pair=K1" },
      { villageId: 2, path: "/kiosk?pair=K2" },
    ],
    sampleCardPath: "/c/CARD",
    cardSheetPath: "/api/villages/1/cards/print",
  });
});
