import { useSignal } from "@preact/signals";
import { call } from "../api.ts";
import { t } from "../i18n/index.ts";
import { preparePhoto } from "../logic/photo.ts";
import { problemText } from "../logic/problems.ts";
import { Icon } from "./Icon.tsx";

export type Evidence = { id: string; url: string };

/** Why a chosen photo cannot be used, in words. */
export function photoProblem(reason: "type" | "size" | "unreadable"): string {
  return reason === "type"
    ? t("photo.type")
    : reason === "size"
      ? t("photo.size")
      : t("photo.unreadable");
}

/**
 * An optional photo of the evidence: taken with the tablet's camera or chosen from a file,
 * checked and shrunk here, uploaded at once so that saving the entry is quick.
 */
export function PhotoField({
  id,
  villageId,
  value,
  onChange,
}: {
  id: string;
  villageId: string;
  value: Evidence | null;
  onChange: (e: Evidence | null) => void;
}) {
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    busy.value = true;
    error.value = null;
    const photo = await preparePhoto(file);
    if (!photo.ok) {
      error.value = photoProblem(photo.reason);
      busy.value = false;
      return;
    }
    const res = await call<Evidence>("POST", `/api/villages/${villageId}/evidence`, {
      rawBody: photo.blob,
      contentType: "image/jpeg",
    });
    busy.value = false;
    if (res.ok) onChange(res.data);
    else error.value = problemText(res.error);
  };

  return (
    <div class={`field photo-field${error.value ? " has-error" : ""}`}>
      <span class="label" id={`${id}-label`}>
        {t("record.photo")} <span class="optional">{t("common.optional")}</span>
      </span>
      {value ? (
        <div class="photo-preview">
          <img src={value.url} alt={t("record.photoAlt")} />
          <button type="button" class="button small" onClick={() => onChange(null)}>
            {t("record.photoRemove")}
          </button>
        </div>
      ) : (
        <label class="button file-button" for={id}>
          <Icon name="camera" />
          {busy.value ? t("common.working") : t("record.photoChoose")}
        </label>
      )}
      <input
        id={id}
        class="visually-hidden"
        type="file"
        accept="image/jpeg,image/png,image/webp"
        capture="environment"
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-hint${error.value ? ` ${id}-error` : ""}`}
        disabled={busy.value}
        onChange={(e) => {
          const input = e.target as HTMLInputElement;
          void choose(input.files?.[0]);
          input.value = "";
        }}
      />
      <p class="hint" id={`${id}-hint`}>
        {t("record.photoHint")}
      </p>
      {error.value ? (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error.value}
        </p>
      ) : null}
    </div>
  );
}
