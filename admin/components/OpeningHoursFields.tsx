import type { Signal } from "@preact/signals";
import { t, type MessageKey } from "../i18n/index.ts";
import type { HoursDraft } from "../logic/opening-hours.ts";
import { TextField } from "./Field.tsx";

const WEEKDAYS: { day: number; key: MessageKey }[] = [
  { day: 1, key: "hours.mon" },
  { day: 2, key: "hours.tue" },
  { day: 3, key: "hours.wed" },
  { day: 4, key: "hours.thu" },
  { day: 5, key: "hours.fri" },
  { day: 6, key: "hours.sat" },
  { day: 7, key: "hours.sun" },
];

/**
 * When the village's supermarket is open (issue 18): always (the default), or on days of the week
 * or of the month between two times. Outside them the kiosk does not sell; staff may open it for
 * a sale, which the audit log records.
 */
export function OpeningHoursFields({
  draft,
  error,
}: {
  draft: Signal<HoursDraft>;
  error?: string | undefined;
}) {
  const d = draft.value;
  const set = (patch: Partial<HoursDraft>) => (draft.value = { ...draft.value, ...patch });
  return (
    <div class="stack opening-hours">
      <label class="checkbox">
        <input
          type="checkbox"
          checked={d.limited}
          onChange={(ev) => set({ limited: (ev.target as HTMLInputElement).checked })}
        />
        <span>
          {t("hours.limited")}
          <span class="hint block">{t("hours.limitedHint")}</span>
        </span>
      </label>
      {d.limited ? (
        <fieldset aria-describedby={`hours-hint${error ? " hours-error" : ""}`}>
          <legend>{t("hours.days")}</legend>
          <div class="inline-choice">
            <label class="radio">
              <input
                type="radio"
                name="hours-kind"
                checked={d.kind === "week"}
                onChange={() => set({ kind: "week" })}
              />
              <span>{t("hours.weekly")}</span>
            </label>
            <label class="radio">
              <input
                type="radio"
                name="hours-kind"
                checked={d.kind === "month"}
                onChange={() => set({ kind: "month" })}
              />
              <span>{t("hours.monthly")}</span>
            </label>
          </div>
          {d.kind === "week" ? (
            <div class="weekday-row" role="group" aria-label={t("hours.weekdays")}>
              {WEEKDAYS.map((w) => (
                <label key={w.day} class="checkbox weekday">
                  <input
                    type="checkbox"
                    checked={d.weekdays.includes(w.day)}
                    onChange={(ev) =>
                      set({
                        weekdays: (ev.target as HTMLInputElement).checked
                          ? [...d.weekdays, w.day]
                          : d.weekdays.filter((x) => x !== w.day),
                      })
                    }
                  />
                  <span>{t(w.key)}</span>
                </label>
              ))}
            </div>
          ) : (
            <TextField
              id="hours-month-days"
              label={t("hours.monthDays")}
              inputMode="numeric"
              class="short"
              value={d.monthDays}
              onValue={(v) => set({ monthDays: v })}
            />
          )}
          <div class="field-row">
            <TextField
              id="hours-opens"
              label={t("hours.opens")}
              type="time"
              value={d.opens}
              onValue={(v) => set({ opens: v })}
            />
            <TextField
              id="hours-closes"
              label={t("hours.closes")}
              type="time"
              value={d.closes}
              onValue={(v) => set({ closes: v })}
            />
          </div>
          <p class="hint" id="hours-hint">
            {t("hours.hint")}
          </p>
          {error ? (
            <p class="field-error" id="hours-error" role="alert">
              {error}
            </p>
          ) : null}
        </fieldset>
      ) : null}
    </div>
  );
}
