import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { newUuid } from "../../ui/uuid.ts";
import { call, get, post } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { PhotoField, type Evidence } from "../components/PhotoField.tsx";
import { Points } from "../components/Points.tsx";
import { lang, t } from "../i18n/index.ts";
import { formatDay } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import {
  acknowledge,
  cellKey,
  enqueue,
  loadQueue,
  overlay,
  saveQueue,
  type PendingScore,
} from "../logic/outbox.ts";
import { answerLost, becauseText, problemText } from "../logic/problems.ts";
import type { PageProps } from "../routes.ts";
import type { RoundDetail, RoundHousehold, RoundRule, RoundScore } from "../types.ts";

/** How long to wait before trying again when the network is down. */
const RETRY_MS = 3000;

/**
 * One inspection round as a grid of households × the round's rules, for a tablet: tap a cell to
 * score it, a photo for a deduction; every tap is saved at once and kept on the tablet until the
 * server has it; the round is submitted as one batch.
 */
export default function RoundPage({ params }: PageProps) {
  const id = params["id"] ?? "";
  const [detail, reload] = useLoad(
    () => get<RoundDetail>(`/api/rounds/${encodeURIComponent(id)}`),
    [id],
  );
  const state = detail.value;
  if (state.state === "loading") return <Loading />;
  if (state.state === "error") {
    return (
      <section class="page">
        <PageHeader title={t("nav.rounds")} />
        <Alert tone="error">
          {state.error.kind === "problem" && state.error.status === 404
            ? t("rounds.missing")
            : problemText(state.error)}
        </Alert>
        <p>
          <a class="button" href="/admin/rounds">
            {t("rounds.back")}
          </a>
        </p>
      </section>
    );
  }
  return <Grid key={id} detail={state.data} onSubmitted={reload} />;
}

function Grid({ detail, onSubmitted }: { detail: RoundDetail; onSubmitted: () => void }) {
  const round = detail.round;
  const submitted = round.status === "submitted";
  const server = useSignal<RoundScore[]>(detail.scores);
  const queue = useSignal<PendingScore[]>(submitted ? [] : loadQueue(round.id));
  const offline = useSignal(false);
  const failed = useSignal<string | null>(null);
  const filter = useSignal("");
  const photoFor = useSignal<{ household: RoundHousehold; rule: RoundRule } | null>(null);
  const confirming = useSignal(false);
  const submitting = useSignal(false);
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const sending = useRef(false);
  const retry = useRef<ReturnType<typeof setTimeout> | null>(null);

  const setQueue = (next: PendingScore[]) => {
    queue.value = next;
    saveQueue(round.id, next);
  };

  /** Sends the waiting taps one at a time, oldest first; stops (and tries again later) without a network. */
  const flush = async () => {
    if (sending.current || submitted) return;
    sending.current = true;
    try {
      while (queue.value.length > 0) {
        const next = queue.value[0]!;
        const res = await call<{ score: RoundScore }>(
          "PUT",
          `/api/rounds/${round.id}/scores/${next.householdId}/${next.ruleId}`,
          {
            body: {
              quantity: next.quantity,
              ...(next.evidenceId ? { evidenceId: next.evidenceId } : {}),
              ...(next.note ? { note: next.note } : {}),
            },
          },
        );
        if (!res.ok && answerLost(res.error)) {
          offline.value = true;
          if (retry.current) clearTimeout(retry.current);
          retry.current = setTimeout(() => void flush(), RETRY_MS);
          return;
        }
        offline.value = false;
        if (res.ok) {
          const saved = res.data.score;
          server.value = [
            ...server.value.filter(
              (s) => cellKey(s.householdId, s.ruleId) !== cellKey(saved.householdId, saved.ruleId),
            ),
            saved,
          ];
        } else {
          // Refused (the round was submitted elsewhere, a household left it): drop the tap, say why.
          failed.value = becauseText(res.error) ?? problemText(res.error);
        }
        setQueue(acknowledge(queue.value, next));
      }
    } finally {
      sending.current = false;
    }
  };

  useEffect(() => {
    void flush();
    const online = () => void flush();
    window.addEventListener("online", online);
    // A tablet that wakes up tries again at once.
    document.addEventListener("visibilitychange", online);
    return () => {
      window.removeEventListener("online", online);
      document.removeEventListener("visibilitychange", online);
      if (retry.current) clearTimeout(retry.current);
    };
  }, []);

  const cells = overlay(server.value, queue.value);
  const evidenceOf = (h: string, r: string) =>
    server.value.find((s) => s.householdId === h && s.ruleId === r)?.evidenceUrl ?? null;

  const tap = (household: RoundHousehold, rule: RoundRule) => {
    if (submitted) return;
    const key = cellKey(household.householdId, rule.ruleId);
    const quantity = (cells.get(key) ?? 0) > 0 ? 0 : 1;
    setQueue(
      enqueue(queue.value, {
        householdId: household.householdId,
        ruleId: rule.ruleId,
        quantity,
        evidenceId: null,
        note: null,
      }),
    );
    void flush();
    if (quantity > 0 && rule.points < 0) photoFor.value = { household, rule };
  };

  const attachPhoto = (evidence: Evidence | null) => {
    const target = photoFor.value;
    photoFor.value = null;
    if (!target || !evidence) return;
    setQueue(
      enqueue(queue.value, {
        householdId: target.household.householdId,
        ruleId: target.rule.ruleId,
        quantity: 1,
        evidenceId: evidence.id,
        note: null,
      }),
    );
    void flush();
  };

  const rules = round.rules;
  const households = round.households.filter(
    (h) =>
      filter.value.trim() === "" ||
      h.headName.includes(filter.value.trim()) ||
      h.address.includes(filter.value.trim()),
  );
  let scored = 0;
  let total = 0;
  for (const [key, quantity] of cells) {
    if (quantity <= 0) continue;
    const rule = rules.find((r) => key.endsWith(`:${r.ruleId}`));
    if (!rule) continue;
    scored++;
    total += rule.points * quantity;
  }

  const submit = async () => {
    confirming.value = false;
    submitting.value = true;
    const keyName = `jifen.admin.roundsubmit.${round.id}`;
    const key = localStorage.getItem(keyName) ?? newUuid();
    localStorage.setItem(keyName, key);
    const res = await post<{ entries: number; points: number }>(
      `/api/rounds/${round.id}/submit`,
      undefined,
      { "Idempotency-Key": key },
    );
    submitting.value = false;
    if (res.ok) {
      localStorage.removeItem(keyName);
      outcome.value = {
        tone: "ok",
        text: t("rounds.submitted", { entries: res.data.entries, points: res.data.points }),
      };
      onSubmitted();
      return;
    }
    if (!answerLost(res.error)) localStorage.removeItem(keyName);
    outcome.value = {
      tone: "error",
      text: `${becauseText(res.error) ?? problemText(res.error)}${answerLost(res.error) ? ` ${t("record.retrySafe")}` : ""}`,
    };
  };

  return (
    <section class="page round">
      <nav class="crumbs" aria-label={t("common.breadcrumb")}>
        <a href="/admin/rounds">{t("nav.rounds")}</a> <span aria-hidden="true">›</span>{" "}
        <bdi>{round.name}</bdi>
      </nav>
      <PageHeader
        title={round.name}
        lead={
          <>
            {formatDay(round.day, lang.value)} ·{" "}
            <Msg
              id="rounds.size"
              values={{ households: round.households.length, rules: rules.length }}
            />
          </>
        }
        actions={
          submitted ? null : (
            <button
              type="button"
              class="button primary large"
              disabled={queue.value.length > 0 || scored === 0 || submitting.value}
              onClick={() => (confirming.value = true)}
            >
              <Icon name="check" />
              {submitting.value ? t("common.working") : t("rounds.submit")}
            </button>
          )
        }
      />
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {submitted ? (
        <Alert tone="info">
          <Msg id="rounds.submittedInfo" values={{ entries: round.entries }} />{" "}
          <a href="/admin/review">{t("nav.review")}</a>
        </Alert>
      ) : null}
      <div class="round-bar" role="status" aria-live="polite">
        <span>
          <Msg id="rounds.tally" values={{ scored, total: <Points value={total} signed /> }} />
        </span>
        <span
          class={
            queue.value.length > 0 ? (offline.value ? "sync offline" : "sync busy") : "sync ok"
          }
        >
          {queue.value.length === 0
            ? t("rounds.allSaved")
            : offline.value
              ? t("rounds.offline", { count: queue.value.length })
              : t("rounds.saving", { count: queue.value.length })}
        </span>
      </div>
      {failed.value ? <Alert tone="warn">{failed.value}</Alert> : null}
      <div class="search-box">
        <label for="round-filter">{t("rounds.find")}</label>
        <input
          id="round-filter"
          type="search"
          value={filter.value}
          onInput={(e) => (filter.value = (e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="table-wrap grid-wrap">
        <table class="table round-grid">
          <caption class="visually-hidden">{round.name}</caption>
          <thead>
            <tr>
              <th scope="col" class="sticky-col">
                {t("household.head")}
              </th>
              {rules.map((r) => (
                <th
                  key={r.ruleId}
                  scope="col"
                  class={r.points < 0 ? "rule-col deduction" : "rule-col"}
                >
                  <bdi>{r.title}</bdi>
                  <span class="sub">
                    <Points value={r.points} signed />
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {households.map((h) => (
              <tr key={h.householdId}>
                <th scope="row" class="sticky-col">
                  <bdi>{h.headName}</bdi>
                  <span class="sub">
                    <bdi>{h.address}</bdi>
                  </span>
                </th>
                {rules.map((r) => {
                  const key = cellKey(h.householdId, r.ruleId);
                  const on = (cells.get(key) ?? 0) > 0;
                  const waiting = queue.value.some((q) => cellKey(q.householdId, q.ruleId) === key);
                  const photo = evidenceOf(h.householdId, r.ruleId);
                  return (
                    <td key={r.ruleId} class="cell-td">
                      <button
                        type="button"
                        class={`cell${on ? (r.points < 0 ? " on deduction" : " on") : ""}${waiting ? " waiting" : ""}`}
                        aria-pressed={on ? "true" : "false"}
                        aria-label={t("rounds.cellLabel", { name: h.headName, rule: r.title })}
                        disabled={submitted}
                        onClick={() => tap(h, r)}
                      >
                        <span aria-hidden="true">{on ? (r.points < 0 ? "✕" : "✓") : ""}</span>
                        {photo ? <Icon name="camera" size={14} /> : null}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Dialog
        open={photoFor.value !== null}
        title={t("rounds.photoTitle", {
          name: photoFor.value?.household.headName ?? "",
          rule: photoFor.value?.rule.title ?? "",
        })}
        onClose={() => (photoFor.value = null)}
      >
        {photoFor.value ? (
          <div class="stack">
            <p>{t("rounds.photoExplain")}</p>
            <PhotoField
              id="round-photo"
              villageId={round.villageId}
              value={null}
              onChange={attachPhoto}
            />
            <div class="button-row">
              <button type="button" class="button" onClick={() => (photoFor.value = null)}>
                {t("rounds.photoSkip")}
              </button>
            </div>
          </div>
        ) : null}
      </Dialog>
      <Dialog
        open={confirming.value}
        title={t("rounds.submitTitle")}
        onClose={() => (confirming.value = false)}
      >
        <p>
          <Msg
            id="rounds.submitExplain"
            values={{ scored, total: <Points value={total} signed /> }}
          />
        </p>
        <div class="button-row">
          <button type="button" class="button primary" onClick={() => void submit()}>
            {t("rounds.submit")}
          </button>
          <button type="button" class="button" onClick={() => (confirming.value = false)}>
            {t("common.cancel")}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
