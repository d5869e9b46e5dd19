import { useSignal } from "@preact/signals";
import { call, fieldErrors, patch, post } from "../api.ts";
import { t } from "../i18n/index.ts";
import { preparePhoto } from "../logic/photo.ts";
import { problemDetail, problemText } from "../logic/problems.ts";
import type { Goods } from "../types.ts";
import { Alert } from "./Alert.tsx";
import { TextField } from "./Field.tsx";
import { Icon } from "./Icon.tsx";
import { photoProblem } from "./PhotoField.tsx";
import { FormButtons } from "./FormButtons.tsx";

export const PRICE_MAX = 1_000_000;
type Errors = Partial<Record<"name" | "pricePoints" | "lowStockThreshold" | "photo", string>>;

/**
 * Add a good, or change one: name, price in points, category, low-stock mark and a photo (taken
 * with the tablet's camera or chosen from a file, checked and shrunk here before it is sent).
 */
export function GoodsForm({
  villageId,
  goods,
  categories,
  onDone,
  onCancel,
}: {
  villageId: string;
  goods: Goods | null;
  categories: string[];
  onDone: (g: Goods) => void;
  onCancel: () => void;
}) {
  const name = useSignal(goods?.name ?? "");
  const price = useSignal(goods ? String(goods.pricePoints) : "");
  const category = useSignal(goods?.category ?? "");
  const threshold = useSignal(goods ? String(goods.lowStockThreshold) : "5");
  const photo = useSignal<{ blob: Blob; url: string } | null>(null);
  const errors = useSignal<Errors>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    const prepared = await preparePhoto(file);
    if (!prepared.ok) {
      errors.value = { ...errors.value, photo: photoProblem(prepared.reason) };
      return;
    }
    errors.value = { ...errors.value, photo: undefined };
    photo.value = { blob: prepared.blob, url: URL.createObjectURL(prepared.blob) };
  };

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: Errors = {};
    if (name.value.trim() === "" || name.value.trim().length > 60)
      errs.name = t("goodsForm.errName");
    const p = Number(price.value);
    if (!Number.isInteger(p) || p < 1 || p > PRICE_MAX) errs.pricePoints = t("goodsForm.errPrice");
    const th = Number(threshold.value);
    if (!Number.isInteger(th) || th < 0) errs.lowStockThreshold = t("goodsForm.errThreshold");
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    failure.value = null;
    const body = {
      name: name.value.trim(),
      pricePoints: p,
      lowStockThreshold: th,
      ...(category.value.trim()
        ? { category: category.value.trim() }
        : goods?.category
          ? { category: null }
          : {}),
    };
    const res =
      goods === null
        ? await post<{ goods: Goods }>(`/api/villages/${villageId}/goods`, body)
        : await patch<{ goods: Goods }>(`/api/goods/${goods.id}`, body);
    if (!res.ok) {
      busy.value = false;
      const fields = fieldErrors(res.error);
      errors.value = {
        ...(fields["name"] ? { name: t("goodsForm.errName") } : {}),
        ...(fields["pricePoints"] ? { pricePoints: t("goodsForm.errPrice") } : {}),
        ...(fields["lowStockThreshold"] ? { lowStockThreshold: t("goodsForm.errThreshold") } : {}),
      };
      failure.value = `${problemText(res.error)} ${problemDetail(res.error)}`;
      return;
    }
    let saved = res.data.goods;
    if (photo.value !== null) {
      const up = await call<{ goods: Goods }>("PUT", `/api/goods/${saved.id}/image`, {
        rawBody: photo.value.blob,
        contentType: "image/jpeg",
      });
      if (!up.ok) {
        busy.value = false;
        failure.value = `${t("goodsForm.photoFailed")} ${problemText(up.error)}`;
        return;
      }
      saved = up.data.goods;
    }
    busy.value = false;
    onDone(saved);
  };

  const e = errors.value;
  const shown = photo.value?.url ?? goods?.imageUrl ?? null;
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <div class="goods-form-top">
        <div class="goods-photo-edit">
          {shown ? (
            <img src={shown} alt={t("goodsForm.photoAlt")} />
          ) : (
            <div class="photo-placeholder" aria-hidden="true">
              <Icon name="goods" size={40} />
            </div>
          )}
          <label class="button small file-button" for="goods-photo">
            <Icon name="camera" size={16} />
            {shown ? t("goodsForm.photoChange") : t("goodsForm.photoChoose")}
          </label>
          <input
            id="goods-photo"
            class="visually-hidden"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            aria-describedby={`goods-photo-hint${e.photo ? " goods-photo-error" : ""}`}
            onChange={(ev) => void choose((ev.target as HTMLInputElement).files?.[0])}
          />
          <p class="hint" id="goods-photo-hint">
            {t("record.photoHint")}
          </p>
          {e.photo ? (
            <p class="field-error" id="goods-photo-error" role="alert">
              {e.photo}
            </p>
          ) : null}
        </div>
        <div class="stack grow">
          <TextField
            id="goods-name"
            label={t("goods.name")}
            error={e.name}
            maxLength={60}
            value={name.value}
            onValue={(v) => (name.value = v)}
          />
          <div class="field-row">
            <TextField
              id="goods-price"
              label={t("goods.price")}
              error={e.pricePoints}
              type="number"
              inputMode="numeric"
              min={1}
              value={price.value}
              onValue={(v) => (price.value = v)}
            />
            <TextField
              id="goods-threshold"
              label={t("goods.threshold")}
              error={e.lowStockThreshold}
              hint={t("goodsForm.thresholdHint")}
              type="number"
              inputMode="numeric"
              min={0}
              value={threshold.value}
              onValue={(v) => (threshold.value = v)}
            />
          </div>
          <TextField
            id="goods-category"
            label={t("goods.category")}
            optional
            hint={t("goodsForm.categoryHint")}
            list="goods-categories"
            maxLength={30}
            value={category.value}
            onValue={(v) => (category.value = v)}
          >
            <datalist id="goods-categories">
              {categories.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </TextField>
        </div>
      </div>
      {goods === null ? <p class="hint">{t("goodsForm.stockLater")}</p> : null}
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons busy={busy.value} submit={t("common.save")} onCancel={onCancel} />
    </form>
  );
}
