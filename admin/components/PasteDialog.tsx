import { useSignal } from "@preact/signals";
import { post } from "../api.ts";
import { t } from "../i18n/index.ts";
import { problemText } from "../logic/problems.ts";
import type { MatchedHousehold, MatchItem } from "../types.ts";
import { Alert } from "./Alert.tsx";
import { Dialog } from "./Dialog.tsx";
import { Msg } from "./Msg.tsx";

export const PASTE_MAX_CHARS = 5000;

/**
 * Paste a list of names (as copied from a group chat) and see, before anything is saved, which
 * were found, which name several households (choose one), and which were not found.
 */
export function PasteDialog({
  open,
  villageId,
  onClose,
  onAdd,
}: {
  open: boolean;
  villageId: string;
  onClose: () => void;
  onAdd: (households: MatchedHousehold[]) => void;
}) {
  const text = useSignal("");
  const items = useSignal<MatchItem[] | null>(null);
  const picks = useSignal<Record<string, string>>({});
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);

  const check = async () => {
    if (text.value.trim() === "") {
      error.value = t("paste.empty");
      return;
    }
    busy.value = true;
    error.value = null;
    const res = await post<{ items: MatchItem[] }>(`/api/villages/${villageId}/households/match`, {
      text: text.value,
    });
    busy.value = false;
    if (!res.ok) {
      error.value = problemText(res.error);
      return;
    }
    items.value = res.data.items;
    picks.value = {};
  };

  const close = () => {
    items.value = null;
    error.value = null;
    onClose();
  };

  const list = items.value;
  const matched = list?.filter((i) => i.status === "matched") ?? [];
  const ambiguous = list?.filter((i) => i.status === "ambiguous") ?? [];
  const missing = list?.filter((i) => i.status === "none") ?? [];
  const chosen: MatchedHousehold[] = [
    ...matched.map((i) => i.households[0]).filter((h): h is MatchedHousehold => h !== undefined),
    ...ambiguous
      .map((i) => i.households.find((h) => h.id === picks.value[i.input]))
      .filter((h): h is MatchedHousehold => h !== undefined),
  ];

  return (
    <Dialog open={open} title={t("paste.title")} onClose={close} wide>
      {list === null ? (
        <div class="stack">
          <div class="field">
            <label for="paste-text">{t("paste.label")}</label>
            <textarea
              id="paste-text"
              rows={7}
              maxLength={PASTE_MAX_CHARS}
              aria-describedby="paste-hint"
              value={text.value}
              onInput={(e) => (text.value = (e.target as HTMLTextAreaElement).value)}
            />
            <p class="hint" id="paste-hint">
              {t("paste.hint")}
            </p>
          </div>
          {error.value ? <Alert tone="error">{error.value}</Alert> : null}
          <div class="button-row">
            <button
              type="button"
              class="button primary"
              disabled={busy.value}
              onClick={() => void check()}
            >
              {busy.value ? t("common.working") : t("paste.check")}
            </button>
            <button type="button" class="button" onClick={close}>
              {t("common.cancel")}
            </button>
          </div>
        </div>
      ) : (
        <div class="stack">
          <p role="status">
            <Msg
              id="paste.summary"
              values={{
                matched: matched.length,
                ambiguous: ambiguous.length,
                missing: missing.length,
              }}
            />
          </p>
          {matched.length > 0 ? (
            <section class="match-group ok">
              <h3>
                <Msg id="paste.matched" values={{ count: matched.length }} />
              </h3>
              <ul class="chips">
                {matched.map((i) => (
                  <li key={i.input}>
                    <bdi>{i.households[0]?.headName}</bdi>
                    <span class="muted">
                      {" "}
                      <bdi>{i.households[0]?.address}</bdi>
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {ambiguous.length > 0 ? (
            <section class="match-group warn">
              <h3>
                <Msg id="paste.ambiguous" values={{ count: ambiguous.length }} />
              </h3>
              {ambiguous.map((i) => (
                <fieldset key={i.input} class="choice">
                  <legend>
                    <bdi>{i.input}</bdi>
                  </legend>
                  {i.households.map((h) => (
                    <label key={h.id} class="radio">
                      <input
                        type="radio"
                        name={`pick-${i.input}`}
                        checked={picks.value[i.input] === h.id}
                        onChange={() => (picks.value = { ...picks.value, [i.input]: h.id })}
                      />
                      <span>
                        <bdi>{h.headName}</bdi> · <bdi>{h.address || t("household.noAddress")}</bdi>
                      </span>
                    </label>
                  ))}
                  <label class="radio">
                    <input
                      type="radio"
                      name={`pick-${i.input}`}
                      checked={picks.value[i.input] === undefined || picks.value[i.input] === ""}
                      onChange={() => (picks.value = { ...picks.value, [i.input]: "" })}
                    />
                    <span>{t("paste.skip")}</span>
                  </label>
                </fieldset>
              ))}
            </section>
          ) : null}
          {missing.length > 0 ? (
            <section class="match-group bad">
              <h3>
                <Msg id="paste.missing" values={{ count: missing.length }} />
              </h3>
              <p>
                {missing.map((i, n) => (
                  <span key={i.input}>
                    {n > 0 ? t("common.listSep") : ""}
                    <bdi>{i.input}</bdi>
                  </span>
                ))}
              </p>
              <p class="hint">{t("paste.missingHint")}</p>
            </section>
          ) : null}
          <div class="button-row">
            <button
              type="button"
              class="button primary"
              disabled={chosen.length === 0}
              onClick={() => {
                onAdd(chosen);
                close();
                text.value = "";
              }}
            >
              <Msg id="paste.add" values={{ count: chosen.length }} />
            </button>
            <button type="button" class="button" onClick={() => (items.value = null)}>
              {t("paste.edit")}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
