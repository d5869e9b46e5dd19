import { useSignal } from "@preact/signals";
import { call, qs, type ApiError } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Icon } from "../components/Icon.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { t, tKnown } from "../i18n/index.ts";
import { csvPieces, decodeCsv } from "../logic/csv-split.ts";
import { problemDetail, problemText } from "../logic/problems.ts";
import { villageId } from "../state/session.ts";

/** Rows per request: small enough for a visible progress bar, large enough to be quick. */
export const ROWS_PER_PIECE = 500;
export const IMPORT_MAX_BYTES = 8 * 1024 * 1024;
const PREVIEW_ROWS_SHOWN = 200;

type PreviewRow = {
  line: number;
  headName: string;
  address: string;
  externalId: string | null;
  members: string[];
  status: "new" | "existing" | "repeated";
};
type ImportAnswer = {
  created: number;
  skipped: number;
  errors: { line: number; message: string }[];
  encoding: string;
  dryRun: boolean;
  rows?: PreviewRow[];
  rowsTruncated?: boolean;
  createdIds?: string[];
};

type Step =
  | { step: "choose" }
  | { step: "preview"; fileName: string; text: string; encoding: string; answer: ImportAnswer }
  | { step: "importing"; done: number; total: number; created: number; skipped: number }
  | {
      step: "stopped";
      fileName: string;
      text: string;
      encoding: string;
      answer: ImportAnswer;
      nextPiece: number;
      created: number;
      skipped: number;
      ids: string[];
      error: ApiError;
    }
  | { step: "done"; created: number; skipped: number; ids: string[]; cards: boolean };

const TEMPLATE = "\uFEFF户主,住址,成员,编号\r\n张建华,柳溪村3组27号,李秀英、张浩宇,LX-0001\r\n";

/** The server's words for a bad row, in the page's words where it says which column. */
function rowError(message: string): string {
  if (/headName|户主/.test(message)) return t("import.errHead");
  return message;
}

/**
 * CSV import: choose a file (UTF-8 or GBK, as Excel saves it), see every row and every error on
 * its line before anything is written, then import piece by piece with a progress bar, and
 * print the new households' cards at the end. Importing the same file twice adds nothing twice.
 */
export default function ImportPage() {
  const vid = villageId.value;
  const step = useSignal<Step>({ step: "choose" });
  const error = useSignal<string | null>(null);
  const issueCards = useSignal(true);
  const busy = useSignal(false);

  const send = (text: string, params: Record<string, string | number | boolean>) =>
    call<ImportAnswer>("POST", `/api/villages/${vid}/households/import${qs(params)}`, {
      rawBody: new TextEncoder().encode(text),
      contentType: "text/csv; charset=utf-8",
      timeoutMs: 60_000,
    });

  const choose = async (file: File | undefined) => {
    if (!file) return;
    error.value = null;
    if (file.size > IMPORT_MAX_BYTES) {
      error.value = t("import.tooLarge", { mb: IMPORT_MAX_BYTES / 1024 / 1024 });
      return;
    }
    if (!/\.(csv|txt)$/i.test(file.name)) {
      error.value = t("import.notCsv");
      return;
    }
    busy.value = true;
    const { text, encoding } = decodeCsv(new Uint8Array(await file.arrayBuffer()));
    const res = await send(text, { dryRun: true });
    busy.value = false;
    if (!res.ok) {
      error.value = `${problemText(res.error)} ${problemDetail(res.error)}`;
      return;
    }
    step.value = { step: "preview", fileName: file.name, text, encoding, answer: res.data };
  };

  const run = async (
    from: { fileName: string; text: string; encoding: string; answer: ImportAnswer },
    startPiece: number,
    before: { created: number; skipped: number; ids: string[] },
  ) => {
    const pieces = csvPieces(from.text, ROWS_PER_PIECE);
    let { created, skipped } = before;
    const ids = [...before.ids];
    const total = pieces.reduce((n, p) => n + p.rows, 0);
    let done = pieces.slice(0, startPiece).reduce((n, p) => n + p.rows, 0);
    step.value = { step: "importing", done, total, created, skipped };
    for (let i = startPiece; i < pieces.length; i++) {
      const piece = pieces[i]!;
      const res = await send(piece.text, {
        lineOffset: piece.firstLine - 2,
        ...(issueCards.value ? { issueCards: true } : {}),
      });
      if (!res.ok) {
        // Each piece is all or nothing and importing it again skips what is there: continuing is safe.
        step.value = {
          step: "stopped",
          ...from,
          nextPiece: i,
          created,
          skipped,
          ids,
          error: res.error,
        };
        return;
      }
      created += res.data.created;
      skipped += res.data.skipped;
      ids.push(...(res.data.createdIds ?? []));
      done += piece.rows;
      step.value = { step: "importing", done, total, created, skipped };
    }
    step.value = { step: "done", created, skipped, ids, cards: issueCards.value };
  };

  if (vid === null) return null;
  const s = step.value;
  return (
    <section class="page import">
      <nav class="crumbs" aria-label={t("common.breadcrumb")}>
        <a href="/admin/households">{t("nav.households")}</a> <span aria-hidden="true">›</span>{" "}
        {t("import.title")}
      </nav>
      <PageHeader title={t("import.title")} lead={t("import.lead")} />
      {s.step === "choose" ? (
        <div class="card stack">
          <ol class="steps">
            <li>{t("import.step1")}</li>
            <li>{t("import.step2")}</li>
            <li>{t("import.step3")}</li>
          </ol>
          <p>
            <Msg id="import.columns" values={{ columns: "户主, 住址, 成员, 编号" }} />
          </p>
          <div class="button-row">
            <label class="button primary file-button" for="import-file">
              <Icon name="import" />
              {busy.value ? t("import.reading") : t("import.choose")}
            </label>
            <input
              id="import-file"
              class="visually-hidden"
              type="file"
              accept=".csv,text/csv"
              disabled={busy.value}
              aria-describedby="import-hint"
              onChange={(e) => void choose((e.target as HTMLInputElement).files?.[0])}
            />
            <button
              type="button"
              class="button"
              onClick={() => {
                const url = URL.createObjectURL(new Blob([TEMPLATE], { type: "text/csv" }));
                const a = document.createElement("a");
                a.href = url;
                a.download = t("import.templateName");
                a.click();
                setTimeout(() => URL.revokeObjectURL(url), 1000);
              }}
            >
              {t("import.template")}
            </button>
          </div>
          <p class="hint" id="import-hint">
            {t("import.hint")}
          </p>
          {error.value ? <Alert tone="error">{error.value}</Alert> : null}
        </div>
      ) : null}
      {s.step === "preview" || s.step === "stopped" ? (
        <Preview
          s={s}
          issueCards={issueCards.value}
          onIssueCards={(v) => (issueCards.value = v)}
          onCancel={() => (step.value = { step: "choose" })}
          onImport={() =>
            void (s.step === "stopped"
              ? run(s, s.nextPiece, s)
              : run(s, 0, { created: 0, skipped: 0, ids: [] }))
          }
        />
      ) : null}
      {s.step === "importing" ? (
        <div class="card stack" aria-busy="true">
          <h2 class="small-title">{t("import.importing")}</h2>
          <progress
            class="big-progress"
            max={Math.max(1, s.total)}
            value={s.done}
            aria-label={t("import.progress")}
          />
          <p role="status">
            <Msg
              id="import.progressText"
              values={{ done: s.done, total: s.total, created: s.created }}
            />
          </p>
        </div>
      ) : null}
      {s.step === "done" ? (
        <div class="card stack">
          <Alert tone="ok">
            <Msg id="import.done" values={{ created: s.created, skipped: s.skipped }} />
          </Alert>
          <div class="button-row">
            {s.cards && s.ids.length > 0 ? (
              <a
                class="button primary"
                href={`/api/villages/${vid}/cards/print${qs({ householdIds: s.ids.join(",") })}`}
                target="_blank"
                rel="noopener"
              >
                <Icon name="print" />
                <Msg id="import.printCards" values={{ count: s.ids.length }} />
              </a>
            ) : null}
            <a class="button" href="/admin/households">
              {t("import.toHouseholds")}
            </a>
            <button
              type="button"
              class="button ghost"
              onClick={() => (step.value = { step: "choose" })}
            >
              {t("import.another")}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

function Preview({
  s,
  issueCards,
  onIssueCards,
  onCancel,
  onImport,
}: {
  s: Extract<Step, { step: "preview" } | { step: "stopped" }>;
  issueCards: boolean;
  onIssueCards: (v: boolean) => void;
  onCancel: () => void;
  onImport: () => void;
}) {
  const a = s.answer;
  const rows = a.rows ?? [];
  const repeated = rows.filter((r) => r.status === "repeated").length;
  const existing = rows.filter((r) => r.status === "existing").length;
  const errorsByLine = new Map(a.errors.map((e) => [e.line, e.message]));
  type Line = { line: number; row: PreviewRow | null; error: string | null };
  const lines: Line[] = [
    ...rows.map((r) => ({ line: r.line, row: r, error: errorsByLine.get(r.line) ?? null })),
    ...a.errors
      .filter((e) => !rows.some((r) => r.line === e.line))
      .map((e) => ({ line: e.line, row: null, error: e.message })),
  ].sort((x, y) => x.line - y.line);
  const shown = [...lines.filter((l) => l.error !== null), ...lines.filter((l) => l.error === null)]
    .slice(0, PREVIEW_ROWS_SHOWN)
    .sort((x, y) => x.line - y.line);
  return (
    <div class="card stack">
      <p class="file-line">
        <Icon name="rules" /> <bdi>{s.fileName}</bdi>{" "}
        <span class="tag">{s.encoding === "gbk" ? "GBK" : "UTF-8"}</span>
      </p>
      <ul class="summary-chips" aria-label={t("import.summary")}>
        <li class="ok">
          <Msg id="import.willCreate" values={{ count: a.created }} />
        </li>
        <li>
          <Msg id="import.existing" values={{ count: existing }} />
        </li>
        {repeated > 0 ? (
          <li>
            <Msg id="import.repeated" values={{ count: repeated }} />
          </li>
        ) : null}
        <li class={a.errors.length > 0 ? "bad" : undefined}>
          <Msg id="import.errors" values={{ count: a.errors.length }} />
        </li>
      </ul>
      {a.errors.length > 0 ? <Alert tone="warn">{t("import.errorsHint")}</Alert> : null}
      {s.step === "stopped" ? (
        <Alert tone="error">
          <Msg id="import.stopped" values={{ created: s.created }} /> {problemText(s.error)}
        </Alert>
      ) : null}
      <div class="table-wrap preview-table">
        <table class="table compact">
          <caption class="visually-hidden">{t("import.preview")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("import.line")}</th>
              <th scope="col">{t("household.head")}</th>
              <th scope="col">{t("household.address")}</th>
              <th scope="col">{t("household.members")}</th>
              <th scope="col">{t("household.externalId")}</th>
              <th scope="col">{t("import.result")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((l) => (
              <tr
                key={l.line}
                class={l.error ? "error-row" : l.row?.status !== "new" ? "muted-row" : undefined}
              >
                <td class="mono">{l.line}</td>
                <td>
                  <bdi>{l.row?.headName ?? ""}</bdi>
                </td>
                <td>
                  <bdi>{l.row?.address ?? ""}</bdi>
                </td>
                <td>
                  <bdi>{l.row?.members.join("、") ?? ""}</bdi>
                </td>
                <td class="mono">{l.row?.externalId ?? ""}</td>
                <td>
                  {l.error ? (
                    <span class="error-text">{rowError(l.error)}</span>
                  ) : (
                    <span class={`tag ${l.row?.status === "new" ? "ok" : "muted"}`}>
                      {tKnown("import.status", l.row?.status ?? "new")}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {lines.length > shown.length || a.rowsTruncated ? (
        <p class="hint">{t("import.moreRows", { shown: shown.length })}</p>
      ) : null}
      <label class="checkbox">
        <input
          type="checkbox"
          checked={issueCards}
          onChange={(e) => onIssueCards((e.target as HTMLInputElement).checked)}
        />
        <span>{t("import.issueCards")}</span>
      </label>
      <div class="button-row">
        <button
          type="button"
          class="button primary large"
          disabled={a.created === 0 && s.step === "preview"}
          onClick={onImport}
        >
          {s.step === "stopped" ? (
            t("import.continue")
          ) : (
            <Msg id="import.go" values={{ count: a.created }} />
          )}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          {t("import.otherFile")}
        </button>
      </div>
    </div>
  );
}
