// The report's period: a month, a quarter, a year or two chosen days, as the address bar keeps it
// (?period=month&month=2026-12). Pure: the pages and the tests use the same rules.

export type PeriodKind = "month" | "quarter" | "year" | "custom";
export type Period = {
  kind: PeriodKind;
  from: string;
  to: string;
  label: { kind: PeriodKind; year: number; month?: number; quarter?: number };
};

const pad = (n: number) => String(n).padStart(2, "0");

/** The last day of a month, 28 to 31. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function monthPeriod(year: number, month: number): Period {
  return {
    kind: "month",
    from: `${year}-${pad(month)}-01`,
    to: `${year}-${pad(month)}-${pad(daysInMonth(year, month))}`,
    label: { kind: "month", year, month },
  };
}

function quarterPeriod(year: number, quarter: number): Period {
  const first = (quarter - 1) * 3 + 1;
  return {
    kind: "quarter",
    from: `${year}-${pad(first)}-01`,
    to: `${year}-${pad(first + 2)}-${pad(daysInMonth(year, first + 2))}`,
    label: { kind: "quarter", year, quarter },
  };
}

function yearPeriod(year: number): Period {
  return {
    kind: "year",
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    label: { kind: "year", year },
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the period from the query, falling back to the month of `today` (YYYY-MM-DD). */
export function periodFromQuery(query: URLSearchParams, today: string): Period {
  const [ty, tm] = today.split("-").map(Number) as [number, number];
  const kind = query.get("period");
  if (kind === "quarter") {
    const m = /^(\d{4})-Q([1-4])$/.exec(query.get("quarter") ?? "");
    return m
      ? quarterPeriod(Number(m[1]), Number(m[2]))
      : quarterPeriod(ty, Math.floor((tm - 1) / 3) + 1);
  }
  if (kind === "year") {
    const y = Number(query.get("year"));
    return yearPeriod(Number.isInteger(y) && y >= 2000 && y <= 2999 ? y : ty);
  }
  if (kind === "custom") {
    const from = query.get("from") ?? "";
    const to = query.get("to") ?? "";
    if (DAY.test(from) && DAY.test(to) && from <= to)
      return {
        kind: "custom",
        from,
        to,
        label: { kind: "custom", year: Number(from.slice(0, 4)) },
      };
  }
  const m = /^(\d{4})-(\d{2})$/.exec(query.get("month") ?? "");
  const month = m ? Number(m[2]) : tm;
  return monthPeriod(m ? Number(m[1]) : ty, month >= 1 && month <= 12 ? month : tm);
}

/** The query that names a period (the inverse of periodFromQuery). */
export function periodQuery(p: Period): Record<string, string> {
  if (p.kind === "month") return { period: "month", month: p.from.slice(0, 7) };
  if (p.kind === "quarter")
    return { period: "quarter", quarter: `${p.label.year}-Q${p.label.quarter}` };
  if (p.kind === "year") return { period: "year", year: String(p.label.year) };
  return { period: "custom", from: p.from, to: p.to };
}

/** The period a step before or after this one (a month, a quarter, a year); custom periods do not step. */
export function stepPeriod(p: Period, step: -1 | 1): Period {
  if (p.kind === "month") {
    const index = p.label.year * 12 + (p.label.month! - 1) + step;
    return monthPeriod(Math.floor(index / 12), (index % 12) + 1);
  }
  if (p.kind === "quarter") {
    const index = p.label.year * 4 + (p.label.quarter! - 1) + step;
    return quarterPeriod(Math.floor(index / 4), (index % 4) + 1);
  }
  if (p.kind === "year") return yearPeriod(p.label.year + step);
  return p;
}

export function periodOf(kind: PeriodKind, today: string): Period {
  const [y, m] = today.split("-").map(Number) as [number, number];
  if (kind === "quarter") return quarterPeriod(y, Math.floor((m - 1) / 3) + 1);
  if (kind === "year") return yearPeriod(y);
  if (kind === "custom")
    return {
      kind: "custom",
      from: `${today.slice(0, 7)}-01`,
      to: today,
      label: { kind: "custom", year: y },
    };
  return monthPeriod(y, m);
}
