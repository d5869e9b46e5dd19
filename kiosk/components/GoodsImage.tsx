import { useSignal } from "@preact/signals";

export interface GoodsImageProps {
  src: string | null;
  name: string;
}

/** The good's photo; where there is none (or it fails), a drawn parcel with the name's first letter. */
export function GoodsImage({ src, name }: GoodsImageProps) {
  const failed = useSignal(false);
  if (src === null || failed.value) {
    const initial = [...name][0] ?? "";
    return (
      <div class="goods-img goods-img-fallback" aria-hidden="true">
        <svg viewBox="0 0 120 90">
          <rect
            x="20"
            y="22"
            width="80"
            height="58"
            rx="8"
            fill="#f3e3c3"
            stroke="#b98a3e"
            stroke-width="3"
          />
          <path d="M20 40h80M60 22v58" stroke="#b98a3e" stroke-width="3" />
          <text x="60" y="72" text-anchor="middle" font-size="26" font-weight="700" fill="#6b4a1a">
            {initial}
          </text>
        </svg>
      </div>
    );
  }
  return (
    <img
      class="goods-img"
      src={src}
      alt=""
      loading="lazy"
      decoding="async"
      onError={() => (failed.value = true)}
    />
  );
}
