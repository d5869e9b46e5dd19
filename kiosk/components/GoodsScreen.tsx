import { useRef } from "preact/hooks";
import { t } from "../i18n/index.ts";
import { goTo } from "../state/actions.ts";
import { goods, itemCount } from "../state/store.ts";
import { GoodsPager } from "./GoodsPager.tsx";
import { GoodsTile } from "./GoodsTile.tsx";
import { HouseholdBar } from "./HouseholdBar.tsx";
import { Icon } from "./Icon.tsx";

export function GoodsScreen() {
  const list = goods.value;
  const count = itemCount.value;
  const box = useRef<HTMLDivElement>(null);
  return (
    <main class="screen goods-screen">
      <HouseholdBar />
      <h1 class="visually-hidden">{t("goods.title")}</h1>
      <div class="goods-body">
        <div class="goods-scroll" ref={box}>
          {list === null ? (
            <p class="empty">{t("goods.loading")}</p>
          ) : list.length === 0 ? (
            <p class="empty">{t("goods.none")}</p>
          ) : (
            <ul class="goods-grid">
              {list.map((g) => (
                <GoodsTile key={g.id} good={g} />
              ))}
            </ul>
          )}
        </div>
        <GoodsPager box={box} content={list} />
      </div>
      <footer class="action-bar">
        <button type="button" class="btn btn-secondary" onClick={() => goTo("household")}>
          <Icon name="back" />
          <span>{t("common.back")}</span>
        </button>
        <p class="action-note">{count === 0 ? t("goods.emptyBasket") : ""}</p>
        <button
          type="button"
          class="btn btn-primary btn-wide"
          disabled={count === 0}
          onClick={() => goTo("review")}
        >
          <span>{t("goods.review")}</span>
          <Icon name="forward" />
        </button>
      </footer>
    </main>
  );
}
