import type { IconName } from "../routes.ts";

// Simple line icons, drawn for this project (24×24, stroke only), decorative: the text beside
// each one says what it means.
const PATHS: Record<
  | IconName
  | "search"
  | "plus"
  | "paste"
  | "undo"
  | "camera"
  | "card"
  | "print"
  | "out"
  | "alert"
  | "check"
  | "box",
  string
> = {
  today: "M4 5h16v15H4zM4 10h16M9 3v4M15 3v4",
  record: "M5 19h4L19 9l-4-4L5 15zM13 7l4 4",
  rounds: "M4 4h16v16H4zM4 10h16M4 15h16M10 4v16M15 4v16",
  review: "M5 12l4 4 10-10M4 20h16",
  households: "M3 11l9-7 9 7M6 9.5V20h12V9.5M10 20v-5h4v5",
  rules: "M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7",
  import: "M12 3v12M7 10l5 5 5-5M4 17v3h16v-3",
  goods: "M4 8h16l-1.5 12h-13zM8 8V6a4 4 0 0 1 8 0v2",
  sales: "M6 3h12v18l-3-2-3 2-3-2-3 2zM9 8h6M9 12h6",
  reports: "M4 20V10M10 20V4M16 20v-7M21 20H3",
  settings:
    "M12 9a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM12 2v3M12 19v3M4.2 4.2l2.1 2.1M17.7 17.7l2.1 2.1M2 12h3M19 12h3M4.2 19.8l2.1-2.1M17.7 6.3l2.1-2.1",
  search: "M11 4a7 7 0 1 1 0 14 7 7 0 0 1 0-14zM16 16l4 4",
  plus: "M12 5v14M5 12h14",
  paste: "M9 4h6v3H9zM7 5H5v16h14V5h-2M8 12h8M8 16h5",
  undo: "M9 7L4 12l5 5M4 12h10a6 6 0 0 1 0 12",
  camera: "M4 8h4l2-3h4l2 3h4v11H4zM12 11a3 3 0 1 1 0 6 3 3 0 0 1 0-6z",
  card: "M3 6h18v12H3zM3 10h18M7 15h4",
  print: "M7 9V3h10v6M7 17H4v-8h16v8h-3M7 14h10v7H7z",
  out: "M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10",
  alert: "M12 3l10 18H2zM12 10v5M12 18v.5",
  check: "M5 12l5 5 9-10",
  box: "M3 7l9-4 9 4-9 4zM3 7v10l9 4 9-4V7M12 11v10",
};

export type AnyIcon = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: AnyIcon; size?: number }) {
  return (
    <svg
      class="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
