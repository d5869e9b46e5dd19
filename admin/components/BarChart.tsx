import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { lang, t } from "../i18n/index.ts";
import { formatPoints } from "../../ui/format.ts";

/** A series drawn as bars; `tableOnly` figures are listed in the table but not drawn (another unit). */
export type Series = { key: string; label: string; color: string; tableOnly?: boolean };
export type Row = { label: string; values: Record<string, number> };

const BAR_GAP = 6;

/** A number for an axis: 12,345 or 1.2万. */
function short(n: number): string {
  if (Math.abs(n) >= 100_000) return `${Math.round(n / 10_000)}万`;
  return formatPoints(n, lang.value);
}

/** Round whole numbers for an axis from 0 to at least `max`: 0, 50, 100, … (points and counts are whole). */
export function niceTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw);
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(Math.round(v * 100) / 100);
  if ((ticks[ticks.length - 1] ?? 0) < max) ticks.push((ticks[ticks.length - 1] ?? 0) + step);
  return ticks;
}

/**
 * Grouped vertical bars drawn as SVG (one group per row, one bar per series), with the figures
 * also readable as a table beside it. The SVG is a picture for the eye (role="img" with a title
 * that says what it shows); the table is what a screen reader, a test and a careful reader use.
 */
export function BarChart({
  id,
  title,
  series,
  rows,
  unit,
  empty,
  horizontal = false,
  note,
}: {
  id: string;
  title: string;
  series: Series[];
  rows: Row[];
  unit: string;
  empty: string;
  horizontal?: boolean;
  note?: ComponentChildren;
}) {
  const showTable = useSignal(false);
  const drawn = series.filter((s) => !s.tableOnly);
  const max = Math.max(0, ...rows.flatMap((r) => drawn.map((s) => r.values[s.key] ?? 0)));
  return (
    <figure class="chart card" aria-labelledby={`${id}-title`}>
      <figcaption class="chart-head">
        <h2 class="small-title" id={`${id}-title`}>
          {title}
        </h2>
        <div class="legend" aria-hidden="true">
          {drawn.length > 1
            ? drawn.map((s) => (
                <span key={s.key} class="legend-item">
                  <span class="swatch" style={{ background: s.color }} />
                  {s.label}
                </span>
              ))
            : null}
        </div>
        <button
          type="button"
          class="button small ghost"
          aria-expanded={showTable.value ? "true" : "false"}
          aria-controls={`${id}-table`}
          onClick={() => (showTable.value = !showTable.value)}
        >
          {showTable.value ? t("chart.hideTable") : t("chart.showTable")}
        </button>
      </figcaption>
      {rows.length === 0 || max === 0 ? (
        <p class="chart-empty">{empty}</p>
      ) : horizontal ? (
        <HBars id={id} title={title} series={drawn} rows={rows} max={max} />
      ) : (
        <VBars id={id} title={title} series={drawn} rows={rows} max={max} />
      )}
      {note ? <p class="hint">{note}</p> : null}
      <div class="table-wrap chart-table" id={`${id}-table`} hidden={!showTable.value}>
        <table class="table compact" data-chart={id}>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{unit}</th>
              {series.map((s) => (
                <th key={s.key} scope="col" class="num-col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">
                  <bdi>{r.label}</bdi>
                </th>
                {series.map((s) => (
                  <td key={s.key} class="num-col num">
                    {formatPoints(r.values[s.key] ?? 0, lang.value)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

// Drawn at about the size it is shown (a half-width card at 1366 px), so text keeps its size.
const W = 520;
const H = 240;
const PAD_START = 48;
const PAD_END = 8;
const PAD_TOP = 10;
const PAD_BOTTOM = 34;

function VBars({
  id,
  title,
  series,
  rows,
  max,
}: {
  id: string;
  title: string;
  series: Series[];
  rows: Row[];
  max: number;
}) {
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? max;
  const plotW = W - PAD_START - PAD_END;
  const plotH = H - PAD_TOP - PAD_BOTTOM;
  const groupW = plotW / rows.length;
  const barW = Math.max(3, Math.min(28, (groupW - BAR_GAP * 2) / series.length));
  const y = (v: number) => PAD_TOP + plotH - (v / top) * plotH;
  const labelEvery = Math.ceil(rows.length / 12);
  return (
    <svg
      class="chart-svg"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${id}-svg-title`}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={`${id}-svg-title`}>{title}</title>
      {ticks.map((tk) => (
        <g key={tk}>
          <line x1={PAD_START} x2={W - PAD_END} y1={y(tk)} y2={y(tk)} class="grid" />
          <text x={PAD_START - 6} y={y(tk) + 4} class="axis" text-anchor="end">
            {short(tk)}
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const x0 = PAD_START + i * groupW + (groupW - barW * series.length) / 2;
        return (
          <g key={r.label}>
            {series.map((s, j) => {
              const v = r.values[s.key] ?? 0;
              return (
                <rect
                  key={s.key}
                  x={x0 + j * barW}
                  y={y(v)}
                  width={barW - 1}
                  height={Math.max(0, y(0) - y(v))}
                  fill={s.color}
                  rx="2"
                />
              );
            })}
            {i % labelEvery === 0 ? (
              <text
                x={PAD_START + i * groupW + groupW / 2}
                y={H - PAD_BOTTOM + 18}
                class="axis"
                text-anchor="middle"
              >
                {r.label}
              </text>
            ) : null}
          </g>
        );
      })}
      <line x1={PAD_START} x2={W - PAD_END} y1={y(0)} y2={y(0)} class="baseline" />
    </svg>
  );
}

const BAR_H = 18;
const GROUP_GAP = 14;
const LABEL_W = 120;

function HBars({
  id,
  title,
  series,
  rows,
  max,
}: {
  id: string;
  title: string;
  series: Series[];
  rows: Row[];
  max: number;
}) {
  const rowH = series.length * BAR_H + GROUP_GAP;
  const height = rows.length * rowH + 4;
  const plotW = W - LABEL_W - 56;
  return (
    <svg
      class="chart-svg"
      viewBox={`0 0 ${W} ${height}`}
      role="img"
      aria-labelledby={`${id}-svg-title`}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={`${id}-svg-title`}>{title}</title>
      {rows.map((r, i) => (
        <g key={r.label}>
          <text
            x={LABEL_W - 8}
            y={i * rowH + (series.length * BAR_H) / 2 + 5}
            class="axis label"
            text-anchor="end"
          >
            {r.label.length > 8 ? `${r.label.slice(0, 7)}…` : r.label}
          </text>
          {series.map((s, j) => {
            const v = r.values[s.key] ?? 0;
            const w = (v / max) * plotW;
            const yy = i * rowH + j * BAR_H;
            return (
              <g key={s.key}>
                <rect
                  x={LABEL_W}
                  y={yy}
                  width={Math.max(0, w)}
                  height={BAR_H - 3}
                  fill={s.color}
                  rx="2"
                />
                <text x={LABEL_W + Math.max(0, w) + 6} y={yy + BAR_H - 6} class="axis value">
                  {short(v)}
                </text>
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
