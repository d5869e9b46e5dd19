import { useSignal } from "@preact/signals";
import { get, qs } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { Empty } from "../components/Empty.tsx";
import { GoodsForm } from "../components/GoodsForm.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { Msg } from "../components/Msg.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { Points } from "../components/Points.tsx";
import { t } from "../i18n/index.ts";
import { useLoad } from "../logic/load.ts";
import { problemText } from "../logic/problems.ts";
import { navigate } from "../router.ts";
import { villageId } from "../state/session.ts";
import type { Goods } from "../types.ts";

/** The supermarket's goods: photo, price, stock and the low-stock mark; add a good. */
export default function GoodsPage() {
  const vid = villageId.value;
  const [goods] = useLoad(
    () => (vid === null ? null : get<{ items: Goods[] }>(`/api/villages/${vid}/goods${qs({})}`)),
    [vid],
  );
  const adding = useSignal(false);
  const showInactive = useSignal(false);
  if (vid === null) return <Loading />;
  const all = goods.value.state === "ok" ? goods.value.data.items : [];
  const list = all
    .filter((g) => showInactive.value || g.active)
    .sort(
      (a, b) =>
        Number(b.low && b.active) - Number(a.low && a.active) ||
        a.name.localeCompare(b.name, "zh-CN"),
    );
  const low = all.filter((g) => g.active && g.low).length;
  const inactive = all.filter((g) => !g.active).length;
  const categories = [
    ...new Set(all.map((g) => g.category).filter((c): c is string => c !== null)),
  ];
  return (
    <section class="page goods">
      <PageHeader
        title={t("nav.goods")}
        lead={t("goods.lead")}
        actions={
          <>
            <button type="button" class="button primary" onClick={() => (adding.value = true)}>
              <Icon name="plus" />
              {t("goods.add")}
            </button>
            <a class="button" href="/admin/accounts">
              {t("accounts.title")}
            </a>
          </>
        }
      />
      {goods.value.state === "loading" ? <Loading /> : null}
      {goods.value.state === "error" ? (
        <Alert tone="error">{problemText(goods.value.error)}</Alert>
      ) : null}
      {low > 0 ? (
        <Alert tone="warn">
          <Msg id="goods.lowCount" values={{ count: low }} />
        </Alert>
      ) : null}
      {goods.value.state === "ok" && all.length === 0 ? (
        <Empty icon="goods" title={t("goods.none")}>
          {t("goods.noneBody")}
        </Empty>
      ) : null}
      {inactive > 0 ? (
        <label class="checkbox">
          <input
            type="checkbox"
            checked={showInactive.value}
            onChange={(e) => (showInactive.value = (e.target as HTMLInputElement).checked)}
          />
          <span>
            <Msg id="goods.showInactive" values={{ count: inactive }} />
          </span>
        </label>
      ) : null}
      <ul class="goods-grid">
        {list.map((g) => (
          <li key={g.id}>
            <a
              class={`goods-card${g.active ? "" : " inactive"}${g.low && g.active ? " low" : ""}`}
              href={`/admin/goods/${g.id}`}
            >
              <span class="goods-pic">
                {g.imageUrl ? (
                  <img src={g.imageUrl} alt="" loading="lazy" />
                ) : (
                  <Icon name="goods" size={40} />
                )}
              </span>
              <span class="goods-name">
                <bdi>{g.name}</bdi>
              </span>
              <span class="goods-meta">
                <span>
                  <Points value={g.pricePoints} /> {t("goods.pointsUnit")}
                </span>
                <span class={g.low ? "stock low" : "stock"}>
                  <Msg id="goods.stock" values={{ count: g.stock }} />
                </span>
              </span>
              {g.low && g.active ? <span class="tag warn">{t("goods.lowTag")}</span> : null}
              {!g.active ? <span class="tag muted">{t("goods.inactiveTag")}</span> : null}
            </a>
          </li>
        ))}
      </ul>
      <Dialog
        open={adding.value}
        title={t("goods.add")}
        onClose={() => (adding.value = false)}
        wide
      >
        <GoodsForm
          villageId={vid}
          goods={null}
          categories={categories}
          onCancel={() => (adding.value = false)}
          onDone={(g) => navigate(`/admin/goods/${g.id}?created=1`)}
        />
      </Dialog>
    </section>
  );
}
