/** A drawing of a household card held up to the scanner: what to do, without reading. */
export function CardArt() {
  return (
    <svg class="card-art" viewBox="0 0 320 200" role="presentation" aria-hidden="true">
      <defs>
        <linearGradient id="cardfill" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#b3261e" />
          <stop offset="1" stop-color="#8c1d18" />
        </linearGradient>
      </defs>
      <rect x="14" y="24" width="232" height="150" rx="16" fill="url(#cardfill)" />
      <rect x="30" y="44" width="90" height="12" rx="6" fill="#f6d58e" />
      <rect x="30" y="66" width="60" height="10" rx="5" fill="#f3c4bf" />
      <rect x="132" y="52" width="96" height="96" rx="8" fill="#fff" />
      {[0, 1, 2, 3, 4, 5, 6].map((r) =>
        [0, 1, 2, 3, 4, 5, 6].map((c) =>
          (r * 7 + c * 3 + r * c) % 3 === 0 ||
          (r < 2 && c < 2) ||
          (r < 2 && c > 4) ||
          (r > 4 && c < 2) ? (
            <rect
              key={`${r}-${c}`}
              x={140 + c * 11.5}
              y={60 + r * 11.5}
              width="10"
              height="10"
              fill="#2b2118"
            />
          ) : null,
        ),
      )}
      <rect x="30" y="140" width="80" height="14" rx="4" fill="#f6d58e" opacity="0.6" />
      <g class="card-art-beam">
        <rect x="262" y="60" width="44" height="80" rx="10" fill="#2b2118" />
        <rect x="268" y="70" width="32" height="30" rx="4" fill="#4a7c59" />
        <path d="M262 100 L230 86 L230 116 Z" fill="#4a7c59" opacity="0.45" />
      </g>
    </svg>
  );
}
