import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { fieldErrors, patch } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Field, TextField } from "../components/Field.tsx";
import { Loading } from "../components/Loading.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { SettingsNav } from "../components/SettingsNav.tsx";
import { ADMIN_LANGS, CATALOGS, t } from "../i18n/index.ts";
import { becauseText, problemDetail, problemText } from "../logic/problems.ts";
import { loadVillages, me, village } from "../state/session.ts";
import type { Village } from "../types.ts";
import { OpeningHoursFields } from "../components/OpeningHoursFields.tsx";
import { draftOf, hoursOf } from "../logic/opening-hours.ts";

export const NOTICE_DAYS_MAX = 30;
const STAR_COUNT = 5;

type Errors = Partial<
  Record<
    "noticeDays" | "starThresholds" | "dailyRedeemLimitPoints" | "backdateDaysMax" | "openingHours",
    string
  >
>;

export const BACKDATE_MAX = 3650;

/** The village's settings: notice days, approval, year-end expiry, star thresholds, daily limit, bottom list. */
export default function SettingsPage() {
  const v = village.value;
  return (
    <section class="page settings">
      <PageHeader title={t("nav.settings")} lead={t("settings.lead")} />
      <SettingsNav />
      {v === null ? <Loading /> : <SettingsForm key={v.id} village={v} />}
    </section>
  );
}

function SettingsForm({ village: v }: { village: Village }) {
  const noticeDays = useSignal(String(v.noticeDays));
  const requireApproval = useSignal(v.requireApproval);
  const pointsExpire = useSignal(v.pointsExpire);
  const showBottomList = useSignal(v.showBottomList);
  const limit = useSignal(
    v.dailyRedeemLimitPoints === null ? "" : String(v.dailyRedeemLimitPoints),
  );
  const backdate = useSignal(String(v.backdateDaysMax));
  const requirePin = useSignal(v.requirePinForNumber);
  const language = useSignal(v.defaultLanguage);
  const hours = useSignal(draftOf(v.openingHours));
  // A village administrator may tighten the checks on entries but not loosen them (issue 20).
  const limited = me.value?.role !== "township_admin";
  const stars = useSignal<string[]>(
    Array.from({ length: STAR_COUNT }, (_, i) => String(v.starThresholds[i] ?? "")),
  );
  const errors = useSignal<Errors>({});
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const busy = useSignal(false);

  useEffect(() => {
    outcome.value = null;
  }, [v.id]);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: Errors = {};
    const nd = Number(noticeDays.value);
    if (!Number.isInteger(nd) || nd < 0 || nd > NOTICE_DAYS_MAX)
      errs.noticeDays = t("settings.errNotice", { max: NOTICE_DAYS_MAX });
    const thresholds = stars.value
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map(Number);
    if (
      thresholds.length === 0 ||
      thresholds.some((x) => !Number.isInteger(x) || x < 1) ||
      thresholds.some((x, i) => i > 0 && x <= thresholds[i - 1]!)
    )
      errs.starThresholds = t("settings.errStars");
    const bd = Number(backdate.value);
    if (!Number.isInteger(bd) || bd < 0 || bd > BACKDATE_MAX)
      errs.backdateDaysMax = t("settings.errBackdate", { max: BACKDATE_MAX });
    else if (limited && bd > v.backdateDaysMax) errs.backdateDaysMax = t("settings.townshipOnly");
    if (limited && Number.isInteger(nd) && nd < v.noticeDays)
      errs.noticeDays = t("settings.townshipOnly");
    const lim = limit.value.trim() === "" ? null : Number(limit.value);
    if (lim !== null && (!Number.isInteger(lim) || lim < 1))
      errs.dailyRedeemLimitPoints = t("settings.errLimit");
    const opening = hoursOf(hours.value);
    if (!opening.ok) errs.openingHours = t(`hours.err.${opening.problem}`);
    errors.value = errs;
    if (!opening.ok) return;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res = await patch<{ village: Village }>(`/api/villages/${v.id}`, {
      noticeDays: nd,
      requireApproval: requireApproval.value,
      pointsExpire: pointsExpire.value,
      showBottomList: showBottomList.value,
      dailyRedeemLimitPoints: lim,
      starThresholds: thresholds,
      backdateDaysMax: bd,
      requirePinForNumber: requirePin.value,
      defaultLanguage: language.value,
      openingHours: opening.value,
    });
    busy.value = false;
    if (res.ok) {
      outcome.value = { tone: "ok", text: t("settings.saved") };
      await loadVillages();
      return;
    }
    const f = fieldErrors(res.error);
    errors.value = {
      ...(f["noticeDays"] ? { noticeDays: t("settings.errNotice", { max: NOTICE_DAYS_MAX }) } : {}),
      ...(f["starThresholds"] ? { starThresholds: t("settings.errStars") } : {}),
      ...(f["dailyRedeemLimitPoints"] ? { dailyRedeemLimitPoints: t("settings.errLimit") } : {}),
      ...(f["backdateDaysMax"]
        ? { backdateDaysMax: t("settings.errBackdate", { max: BACKDATE_MAX }) }
        : {}),
      ...(f["openingHours"] ? { openingHours: t("hours.err.bad-time") } : {}),
    };
    outcome.value = {
      tone: "error",
      text: becauseText(res.error) ?? `${problemText(res.error)} ${problemDetail(res.error)}`,
    };
  };

  const e = errors.value;
  return (
    <form class="card stack settings-form" onSubmit={submit} noValidate>
      <h2 class="small-title">{t("settings.entries")}</h2>
      <TextField
        id="set-notice"
        label={t("settings.noticeDays")}
        error={e.noticeDays}
        hint={t("settings.noticeHint")}
        type="number"
        inputMode="numeric"
        min={0}
        max={NOTICE_DAYS_MAX}
        class="short"
        value={noticeDays.value}
        onValue={(v) => (noticeDays.value = v)}
      />
      <label class="checkbox">
        <input
          type="checkbox"
          checked={requireApproval.value}
          disabled={limited && v.requireApproval}
          aria-describedby={limited && v.requireApproval ? "set-township-only" : undefined}
          onChange={(ev) => (requireApproval.value = (ev.target as HTMLInputElement).checked)}
        />
        <span>
          {t("settings.requireApproval")}
          <span class="hint block">{t("settings.requireApprovalHint")}</span>
        </span>
      </label>
      <TextField
        id="set-backdate"
        label={t("settings.backdate")}
        error={e.backdateDaysMax}
        hint={t("settings.backdateHint")}
        type="number"
        inputMode="numeric"
        min={0}
        max={limited ? v.backdateDaysMax : BACKDATE_MAX}
        class="short"
        value={backdate.value}
        onValue={(v) => (backdate.value = v)}
      />
      {limited ? (
        <p class="hint" id="set-township-only">
          {t("settings.townshipOnly")}
        </p>
      ) : null}
      <label class="checkbox">
        <input
          type="checkbox"
          checked={pointsExpire.value}
          onChange={(ev) => (pointsExpire.value = (ev.target as HTMLInputElement).checked)}
        />
        <span>
          {t("settings.pointsExpire")}
          <span class="hint block">{t("settings.pointsExpireHint")}</span>
        </span>
      </label>
      <h2 class="small-title">{t("settings.honour")}</h2>
      <fieldset aria-describedby={`set-stars-hint${e.starThresholds ? " set-stars-error" : ""}`}>
        <legend>{t("settings.stars")}</legend>
        <div class="stars-row">
          {stars.value.map((value, i) => (
            <TextField
              key={i}
              id={`set-star-${i}`}
              label={t("settings.starN", { n: i + 1 })}
              type="number"
              inputMode="numeric"
              min={1}
              value={value}
              onValue={(v) => (stars.value = stars.value.map((s, j) => (j === i ? v : s)))}
            />
          ))}
        </div>
        <p class="hint" id="set-stars-hint">
          {t("settings.starsHint")}
        </p>
        {e.starThresholds ? (
          <p class="field-error" id="set-stars-error" role="alert">
            {e.starThresholds}
          </p>
        ) : null}
      </fieldset>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={showBottomList.value}
          onChange={(ev) => (showBottomList.value = (ev.target as HTMLInputElement).checked)}
        />
        <span>
          {t("settings.bottomList")}
          <span class="hint block">{t("settings.bottomListHint")}</span>
        </span>
      </label>
      <h2 class="small-title">{t("settings.market")}</h2>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={requirePin.value}
          disabled={limited && v.requirePinForNumber}
          aria-describedby={limited && v.requirePinForNumber ? "set-township-only" : undefined}
          onChange={(ev) => (requirePin.value = (ev.target as HTMLInputElement).checked)}
        />
        <span>
          {t("settings.requirePin")}
          <span class="hint block">{t("settings.requirePinHint")}</span>
        </span>
      </label>
      <TextField
        id="set-limit"
        label={t("settings.dailyLimit")}
        optional
        error={e.dailyRedeemLimitPoints}
        hint={t("settings.dailyLimitHint")}
        type="number"
        inputMode="numeric"
        min={1}
        class="short"
        value={limit.value}
        onValue={(v) => (limit.value = v)}
      />
      <OpeningHoursFields draft={hours} error={e.openingHours} />
      <h2 class="small-title">{t("settings.residents")}</h2>
      <Field id="set-language" label={t("settings.language")} hint={t("settings.languageHint")}>
        <select
          id="set-language"
          value={language.value}
          onChange={(ev) =>
            (language.value = (ev.target as HTMLSelectElement).value as Village["defaultLanguage"])
          }
          aria-describedby="set-language-hint"
          class="short"
        >
          {ADMIN_LANGS.map((l) => (
            <option key={l} value={l} lang={l}>
              {CATALOGS[l]["lang.name"]}
            </option>
          ))}
        </select>
      </Field>
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      <div class="button-row">
        <button type="submit" class="button primary" disabled={busy.value}>
          {busy.value ? t("common.working") : t("common.save")}
        </button>
      </div>
    </form>
  );
}
