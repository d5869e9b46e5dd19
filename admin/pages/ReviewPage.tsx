import { useSignal } from "@preact/signals";
import { get, post, qs } from "../api.ts";
import { usePaged } from "../logic/paged.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { Empty } from "../components/Empty.tsx";
import { EntryStatus } from "../components/EntryStatus.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Points } from "../components/Points.tsx";
import { lang, t, tKnown } from "../i18n/index.ts";
import { daysUntil, formatDay, formatTime } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { problemDetail, problemText } from "../logic/problems.ts";
import { queryParam, setQuery } from "../router.ts";
import { me, villageId } from "../state/session.ts";
import type { Entry, Objection, Page } from "../types.ts";

type Tab = "approve" | "notice" | "objections";
const TABS: readonly Tab[] = ["approve", "notice", "objections"];
const PAGE_SIZE = 50;

/** The four-eyes rule, known before the click: the recorder of an entry never approves it. */
export function recordedByMe(entry: Pick<Entry, "createdByUsername">): boolean {
  return entry.createdByUsername.toLowerCase() === (me.value?.username ?? "").toLowerCase();
}

/** Review: entries to approve (several at once), entries on notice, objections to decide. */
export default function ReviewPage() {
  const raw = queryParam("tab");
  const tab: Tab = TABS.find((x) => x === raw) ?? "approve";
  const vid = villageId.value;
  return (
    <section class="page review">
      <PageHeader title={t("nav.review")} lead={t("review.lead")} />
      <div class="tabs" role="tablist" aria-label={t("nav.review")}>
        {TABS.map((x) => (
          <a
            key={x}
            role="tab"
            id={`tab-${x}`}
            aria-selected={tab === x ? "true" : "false"}
            aria-controls="review-panel"
            href={`/admin/review?tab=${x}`}
            class={tab === x ? "tab active" : "tab"}
          >
            {tKnown("review.tab", x)}
          </a>
        ))}
      </div>
      <div id="review-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {vid === null ? (
          <Loading />
        ) : tab === "approve" ? (
          <ApprovePanel vid={vid} />
        ) : tab === "notice" ? (
          <NoticePanel vid={vid} />
        ) : (
          <ObjectionsPanel vid={vid} />
        )}
      </div>
    </section>
  );
}

/** A village's entries in one status, newest first, a page at a time. */
function useEntries(vid: string, status: Entry["status"]) {
  const list = usePaged<Entry>(
    (after) => `/api/villages/${vid}/entries${qs({ status, limit: PAGE_SIZE, cursor: after })}`,
    [vid, status],
  );
  return {
    list,
    items: list.items.value,
    hasMore: list.cursor.value !== null,
    loadMore: list.loadMore,
    refresh: list.reload,
  };
}

function ApprovePanel({ vid }: { vid: string }) {
  const { list, items, hasMore, loadMore, refresh } = useEntries(vid, "proposed");
  const selected = useSignal<ReadonlySet<string>>(new Set());
  const busy = useSignal<{ done: number; total: number } | null>(null);
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const rejecting = useSignal<string[] | null>(null);

  const mine = (e: Entry) => recordedByMe(e);
  const selectable = items.filter((e) => !mine(e));
  const allChosen = selectable.length > 0 && selectable.every((e) => selected.value.has(e.id));

  const run = async (ids: string[], action: "approve" | "reject", reason?: string) => {
    busy.value = { done: 0, total: ids.length };
    outcome.value = null;
    const failed: string[] = [];
    for (const id of ids) {
      const res = await post<{ entry: Entry }>(
        `/api/entries/${id}/${action}`,
        action === "reject" ? { reason } : undefined,
      );
      if (!res.ok) failed.push(`${problemText(res.error)} ${problemDetail(res.error)}`);
      busy.value = { done: busy.value.done + 1, total: ids.length };
    }
    busy.value = null;
    selected.value = new Set();
    const ok = ids.length - failed.length;
    outcome.value =
      failed.length === 0
        ? {
            tone: "ok",
            text: t(action === "approve" ? "review.approvedN" : "review.rejectedN", { count: ok }),
          }
        : {
            tone: "error",
            text: `${t("review.someFailed", { ok, failed: failed.length })} ${failed[0] ?? ""}`,
          };
    refresh();
  };

  if (list.state.value === "loading") return <Loading />;
  if (list.state.value === "error" && list.error.value)
    return <Alert tone="error">{problemText(list.error.value)}</Alert>;
  return (
    <>
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {items.length === 0 ? (
        <Empty icon="check" title={t("review.noneToApprove")}>
          {t("review.noneToApproveBody")}
        </Empty>
      ) : (
        <>
          <div class="bulk-bar" aria-live="polite">
            <label class="checkbox">
              <input
                type="checkbox"
                checked={allChosen}
                disabled={selectable.length === 0}
                onChange={() =>
                  (selected.value = allChosen ? new Set() : new Set(selectable.map((e) => e.id)))
                }
              />
              <span>{t("review.selectAll")}</span>
            </label>
            <span class="bulk-count">
              <Msg id="review.selected" values={{ count: selected.value.size }} />
            </span>
            <button
              type="button"
              class="button primary"
              disabled={selected.value.size === 0 || busy.value !== null}
              onClick={() => void run([...selected.value], "approve")}
            >
              {t("review.approveSelected")}
            </button>
            <button
              type="button"
              class="button danger-outline"
              disabled={selected.value.size === 0 || busy.value !== null}
              onClick={() => (rejecting.value = [...selected.value])}
            >
              {t("review.rejectSelected")}
            </button>
            {busy.value ? (
              <span class="progress-text">
                <progress
                  max={busy.value.total}
                  value={busy.value.done}
                  aria-label={t("review.working")}
                />{" "}
                {busy.value.done}/{busy.value.total}
              </span>
            ) : null}
          </div>
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">{t("review.tab.approve")}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span class="visually-hidden">{t("review.choose")}</span>
                  </th>
                  <th scope="col">{t("household.head")}</th>
                  <th scope="col">{t("entry.rule")}</th>
                  <th scope="col" class="num-col">
                    {t("entry.points")}
                  </th>
                  <th scope="col">{t("entry.day")}</th>
                  <th scope="col">{t("entry.recordedBy")}</th>
                  <th scope="col">{t("common.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => {
                  const own = mine(e);
                  const reasonId = `own-${e.id}`;
                  return (
                    <tr key={e.id} class={own ? "muted-row" : undefined}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t("review.chooseOne", {
                            name: e.householdName,
                            rule: e.ruleTitle ?? "",
                          })}
                          checked={selected.value.has(e.id)}
                          disabled={own}
                          aria-describedby={own ? reasonId : undefined}
                          onChange={() => {
                            const next = new Set(selected.value);
                            if (next.has(e.id)) next.delete(e.id);
                            else next.add(e.id);
                            selected.value = next;
                          }}
                        />
                      </td>
                      <td>
                        <a href={`/admin/households/${e.householdId}`}>
                          <bdi>{e.householdName}</bdi>
                        </a>
                        {e.isClaim ? <span class="tag info">{t("entry.claim")}</span> : null}
                      </td>
                      <td>
                        <bdi>{e.ruleTitle}</bdi>
                        {e.note ? <span class="sub">{e.note}</span> : null}
                        {e.evidenceUrl ? (
                          <a class="sub" href={e.evidenceUrl} target="_blank" rel="noopener">
                            {t("entry.photo")}
                          </a>
                        ) : null}
                      </td>
                      <td class="num-col">
                        <Points value={e.points} signed />
                      </td>
                      <td class="nowrap">{formatDay(e.occurredOn, lang.value, true)}</td>
                      <td>
                        <bdi>{e.createdBy}</bdi>
                      </td>
                      <td class="row-actions">
                        <button
                          type="button"
                          class="button small primary"
                          disabled={own || busy.value !== null}
                          aria-describedby={own ? reasonId : undefined}
                          onClick={() => void run([e.id], "approve")}
                        >
                          {t("review.approve")}
                        </button>
                        <button
                          type="button"
                          class="button small danger-outline"
                          disabled={own || busy.value !== null}
                          aria-describedby={own ? reasonId : undefined}
                          onClick={() => (rejecting.value = [e.id])}
                        >
                          {t("review.reject")}
                        </button>
                        {own ? (
                          <span class="own-reason" id={reasonId}>
                            {t("review.ownEntry")}
                          </span>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {hasMore ? (
            <button type="button" class="button" onClick={loadMore}>
              {t("common.more")}
            </button>
          ) : null}
        </>
      )}
      <ReasonDialog
        open={rejecting.value !== null}
        title={t("review.rejectTitle", { count: rejecting.value?.length ?? 0 })}
        label={t("review.rejectReason")}
        submit={t("review.reject")}
        onClose={() => (rejecting.value = null)}
        onSubmit={(reason) => {
          const ids = rejecting.value ?? [];
          rejecting.value = null;
          void run(ids, "reject", reason);
        }}
      />
    </>
  );
}

function NoticePanel({ vid }: { vid: string }) {
  const { list, items, hasMore, loadMore, refresh } = useEntries(vid, "in_notice");
  const rejecting = useSignal<Entry | null>(null);
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  if (list.state.value === "loading") return <Loading />;
  if (list.state.value === "error" && list.error.value)
    return <Alert tone="error">{problemText(list.error.value)}</Alert>;
  const sorted = [...items].sort((a, b) =>
    (a.noticeEndsAt ?? "").localeCompare(b.noticeEndsAt ?? ""),
  );
  return (
    <>
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {sorted.length === 0 ? (
        <Empty icon="today" title={t("review.noneInNotice")}>
          {t("review.noneInNoticeBody")}
        </Empty>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("review.tab.notice")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("household.head")}</th>
                <th scope="col">{t("entry.rule")}</th>
                <th scope="col" class="num-col">
                  {t("entry.points")}
                </th>
                <th scope="col">{t("entry.noticeEnds")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((e) => {
                const days = e.noticeEndsAt ? daysUntil(e.noticeEndsAt) : 0;
                return (
                  <tr key={e.id}>
                    <td>
                      <a href={`/admin/households/${e.householdId}`}>
                        <bdi>{e.householdName}</bdi>
                      </a>
                    </td>
                    <td>
                      <bdi>{e.ruleTitle}</bdi>
                    </td>
                    <td class="num-col">
                      <Points value={e.points} signed />
                    </td>
                    <td>
                      {e.noticeEndsAt ? formatTime(e.noticeEndsAt, lang.value) : "—"}
                      <span class={`sub${days <= 1 ? " warn-text" : ""}`}>
                        {days <= 0 ? t("review.endsToday") : t("review.daysLeft", { days })}
                      </span>
                    </td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="button small danger-outline"
                        onClick={() => (rejecting.value = e)}
                      >
                        {t("review.reject")}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {hasMore ? (
        <button type="button" class="button" onClick={loadMore}>
          {t("common.more")}
        </button>
      ) : null}
      <ReasonDialog
        open={rejecting.value !== null}
        title={t("review.rejectTitle", { count: 1 })}
        label={t("review.rejectReason")}
        submit={t("review.reject")}
        onClose={() => (rejecting.value = null)}
        onSubmit={async (reason) => {
          const entry = rejecting.value;
          rejecting.value = null;
          if (!entry) return;
          const res = await post(`/api/entries/${entry.id}/reject`, { reason });
          outcome.value = res.ok
            ? { tone: "ok", text: t("review.rejectedN", { count: 1 }) }
            : { tone: "error", text: `${problemText(res.error)} ${problemDetail(res.error)}` };
          refresh();
        }}
      />
    </>
  );
}

function ObjectionsPanel({ vid }: { vid: string }) {
  const [list, reload] = useLoad(
    () =>
      get<Page<Objection>>(
        `/api/villages/${vid}/objections${qs({ status: "open", limit: PAGE_SIZE })}`,
      ),
    [vid],
  );
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  const chosenId = queryParam("entry");
  if (list.value.state === "loading") return <Loading />;
  if (list.value.state === "error")
    return <Alert tone="error">{problemText(list.value.error)}</Alert>;
  // One row per disputed entry, with every objection to it.
  const byEntry = new Map<string, Objection[]>();
  for (const o of list.value.data.items)
    byEntry.set(o.entryId, [...(byEntry.get(o.entryId) ?? []), o]);
  const entries = [...byEntry.values()];
  const current = entries.find((os) => os[0]?.entryId === chosenId) ?? entries[0] ?? null;
  return (
    <>
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {current === null ? (
        <Empty icon="check" title={t("review.noObjections")}>
          {t("review.noObjectionsBody")}
        </Empty>
      ) : (
        <div class="split">
          <ul class="objection-list" aria-label={t("review.tab.objections")}>
            {entries.map((os) => {
              const o = os[0]!;
              const isCurrent = o.entryId === current[0]?.entryId;
              return (
                <li key={o.entryId}>
                  <a
                    href={`/admin/review?tab=objections&entry=${o.entryId}`}
                    aria-current={isCurrent ? "true" : undefined}
                    class={isCurrent ? "objection-item active" : "objection-item"}
                  >
                    <span class="objection-who">
                      <bdi>{o.entry.householdName}</bdi> · <Points value={o.entry.points} signed />
                    </span>
                    <span class="objection-rule">
                      <bdi>{o.entry.ruleTitle}</bdi>
                    </span>
                    <span class="objection-reason">“{o.reason}”</span>
                  </a>
                </li>
              );
            })}
          </ul>
          <ObjectionDetail
            key={current[0]!.entryId}
            objections={current}
            onDecided={(text, ok) => {
              outcome.value = { tone: ok ? "ok" : "error", text };
              if (ok) {
                setQuery({ entry: null });
                reload();
              }
            }}
          />
        </div>
      )}
    </>
  );
}

function ObjectionDetail({
  objections,
  onDecided,
}: {
  objections: Objection[];
  onDecided: (text: string, ok: boolean) => void;
}) {
  const entry = objections[0]!.entry;
  const [history] = useLoad(
    () => get<Page<Entry>>(`/api/households/${entry.householdId}/entries${qs({ limit: 10 })}`),
    [entry.householdId],
  );
  const decision = useSignal<"uphold" | "revoke" | "">("");
  const reason = useSignal("");
  const error = useSignal<{ decision?: string; reason?: string }>({});
  const busy = useSignal(false);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: { decision?: string; reason?: string } = {};
    if (decision.value === "") errs.decision = t("review.errDecision");
    if (reason.value.trim() === "") errs.reason = t("review.errReason");
    error.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    const res = await post<{ entry: Entry }>(`/api/entries/${entry.id}/resolve`, {
      decision: decision.value,
      reason: reason.value.trim(),
    });
    busy.value = false;
    if (res.ok)
      onDecided(
        t(decision.value === "uphold" ? "review.upheld" : "review.revoked", {
          name: entry.householdName,
        }),
        true,
      );
    else onDecided(`${problemText(res.error)} ${problemDetail(res.error)}`, false);
  };

  return (
    <div class="objection-detail">
      <section class="card">
        <h2 class="small-title">{t("review.theEntry")}</h2>
        <dl class="facts">
          <dt>{t("household.head")}</dt>
          <dd>
            <a href={`/admin/households/${entry.householdId}`}>
              <bdi>{entry.householdName}</bdi>
            </a>
          </dd>
          <dt>{t("entry.rule")}</dt>
          <dd>
            <bdi>{entry.ruleTitle}</bdi>
          </dd>
          <dt>{t("entry.points")}</dt>
          <dd>
            <Points value={entry.points} signed />
          </dd>
          <dt>{t("entry.day")}</dt>
          <dd>{formatDay(entry.occurredOn, lang.value)}</dd>
          <dt>{t("entry.recordedBy")}</dt>
          <dd>
            <bdi>{entry.createdBy}</bdi>
          </dd>
          {entry.note ? (
            <>
              <dt>{t("entry.note")}</dt>
              <dd>{entry.note}</dd>
            </>
          ) : null}
          {entry.noticeEndsAt ? (
            <>
              <dt>{t("entry.noticeEnds")}</dt>
              <dd>{formatTime(entry.noticeEndsAt, lang.value)}</dd>
            </>
          ) : null}
        </dl>
        {entry.evidenceUrl ? (
          <img class="evidence" src={entry.evidenceUrl} alt={t("record.photoAlt")} />
        ) : null}
      </section>
      <section class="card">
        <h2 class="small-title">
          <Msg id="review.objectionsN" values={{ count: objections.length }} />
        </h2>
        <ul class="reasons">
          {objections.map((o) => (
            <li key={o.id}>
              <blockquote>{o.reason}</blockquote>
              <span class="sub">{formatTime(o.createdAt, lang.value)}</span>
            </li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2 class="small-title">{t("review.history")}</h2>
        {history.value.state === "ok" ? (
          <ul class="history-mini">
            {history.value.data.items.map((h) => (
              <li key={h.id} class={h.id === entry.id ? "current" : undefined}>
                <span>{formatDay(h.occurredOn, lang.value, true)}</span>
                <bdi>{h.ruleTitle ?? tKnown("kind", h.kind)}</bdi>
                <Points value={h.points} signed />
                <EntryStatus status={h.status} />
              </li>
            ))}
          </ul>
        ) : (
          <Loading />
        )}
      </section>
      <form class="card decide" onSubmit={submit} noValidate>
        <fieldset aria-describedby={error.value.decision ? "decision-error" : undefined}>
          <legend>{t("review.decision")}</legend>
          <label class="radio">
            <input
              type="radio"
              name="decision"
              checked={decision.value === "uphold"}
              onChange={() => (decision.value = "uphold")}
            />
            <span>
              {t("review.uphold")}
              <span class="hint block">{t("review.upholdHint")}</span>
            </span>
          </label>
          <label class="radio">
            <input
              type="radio"
              name="decision"
              checked={decision.value === "revoke"}
              onChange={() => (decision.value = "revoke")}
            />
            <span>
              {t("review.revoke")}
              <span class="hint block">{t("review.revokeHint")}</span>
            </span>
          </label>
          {error.value.decision ? (
            <p class="field-error" id="decision-error" role="alert">
              {error.value.decision}
            </p>
          ) : null}
        </fieldset>
        <div class={`field${error.value.reason ? " has-error" : ""}`}>
          <label for="decide-reason">{t("review.decisionReason")}</label>
          <textarea
            id="decide-reason"
            rows={3}
            maxLength={500}
            value={reason.value}
            onInput={(e) => (reason.value = (e.target as HTMLTextAreaElement).value)}
            aria-invalid={error.value.reason ? "true" : undefined}
            aria-describedby={error.value.reason ? "decide-reason-error" : undefined}
          />
          {error.value.reason ? (
            <p class="field-error" id="decide-reason-error" role="alert">
              {error.value.reason}
            </p>
          ) : null}
        </div>
        <button type="submit" class="button primary" disabled={busy.value}>
          {busy.value ? t("common.working") : t("review.decide")}
        </button>
      </form>
    </div>
  );
}

function ReasonDialog({
  open,
  title,
  label,
  submit,
  onClose,
  onSubmit,
}: {
  open: boolean;
  title: string;
  label: string;
  submit: string;
  onClose: () => void;
  onSubmit: (reason: string) => void;
}) {
  const reason = useSignal("");
  const error = useSignal<string | null>(null);
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form
        class="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.value.trim() === "") {
            error.value = t("review.errReason");
            return;
          }
          const text = reason.value.trim();
          reason.value = "";
          error.value = null;
          onSubmit(text);
        }}
      >
        <div class={`field${error.value ? " has-error" : ""}`}>
          <label for="reason-text">{label}</label>
          <textarea
            id="reason-text"
            rows={3}
            maxLength={500}
            value={reason.value}
            onInput={(e) => (reason.value = (e.target as HTMLTextAreaElement).value)}
            aria-invalid={error.value ? "true" : undefined}
            aria-describedby={error.value ? "reason-text-error" : undefined}
          />
          {error.value ? (
            <p class="field-error" id="reason-text-error" role="alert">
              {error.value}
            </p>
          ) : null}
        </div>
        <div class="button-row">
          <button type="submit" class="button danger">
            {submit}
          </button>
          <button type="button" class="button" onClick={onClose}>
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
