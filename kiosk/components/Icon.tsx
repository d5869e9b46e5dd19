// Line icons drawn inline (no icon font, no emoji: Debian kiosks have no emoji font). An icon is
// never shown alone: every use sits next to a text label, so the icon itself is hidden from
// assistive technology.

export type IconName =
  | "globe"
  | "sound"
  | "mute"
  | "staff"
  | "plus"
  | "minus"
  | "check"
  | "back"
  | "print"
  | "forward"
  | "offline"
  | "card"
  | "camera"
  | "keypad"
  | "home"
  | "lock"
  | "basket"
  | "delete"
  | "clock";

const PATHS: Record<IconName, string> = {
  globe:
    "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 0c2.8 2.7 4 6 4 10s-1.2 7.3-4 10m0-20C9.2 4.7 8 8 8 12s1.2 7.3 4 10M2.5 9h19M2.5 15h19",
  sound: "M4 9v6h4l5 4V5L8 9H4Zm12.5-1.5a6 6 0 0 1 0 9M19 5a9.5 9.5 0 0 1 0 14",
  mute: "M4 9v6h4l5 4V5L8 9H4Zm12 0 5 6m0-6-5 6",
  staff: "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm-8 9c.8-4 4-6.5 8-6.5s7.2 2.5 8 6.5",
  plus: "M12 4v16M4 12h16",
  minus: "M4 12h16",
  check: "m4 12.5 5 5L20 6.5",
  back: "M15 5 8 12l7 7",
  forward: "M9 5l7 7-7 7",
  print: "M7 9V3h10v6M7 17H4v-8h16v8h-3M7 14h10v7H7z",
  offline:
    "M3 3l18 18M8.5 16.5a5 5 0 0 1 7 0M5 13a10 10 0 0 1 5-2.7M19 13a10 10 0 0 0-2.3-1.6M2 9.5a15 15 0 0 1 4.5-2.8M22 9.5A15 15 0 0 0 11 5.5M12 20h.01",
  card: "M3 6h18v12H3zM3 10h18M7 15h4",
  camera: "M4 8h3l2-3h6l2 3h3v11H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z",
  keypad:
    "M5 4h3v3H5zM10.5 4h3v3h-3zM16 4h3v3h-3zM5 10h3v3H5zM10.5 10h3v3h-3zM16 10h3v3h-3zM5 16h3v3H5zM10.5 16h3v3h-3zM16 16h3v3h-3z",
  home: "M3 11 12 3l9 8M5 9.5V21h5v-6h4v6h5V9.5",
  lock: "M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 0 1 7 0V11",
  basket: "M3 9h18l-2 11H5L3 9Zm5 0 4-6 4 6",
  delete: "M9 5h11v14H9l-6-7 6-7Zm3 4 5 6m0-6-5 6",
  clock: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Zm0-14v5l3 3",
};

export interface IconProps {
  name: IconName;
  size?: number;
}

export function Icon({ name, size = 36 }: IconProps) {
  return (
    <svg
      class={`icon icon-${name}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={PATHS[name]}
        fill="none"
        stroke="currentColor"
        stroke-width="2.2"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
