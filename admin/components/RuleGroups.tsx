import { t, tKnown } from "../i18n/index.ts";
import { groupRules } from "../logic/rules.ts";
import type { Rule } from "../types.ts";
import { Points } from "./Points.tsx";

type RuleLike = Pick<
  Rule,
  "id" | "code" | "title" | "category" | "points" | "monthlyCap" | "suspendMonths"
> & { active?: boolean };

/**
 * Rules (a village's, or the township's templates) by category, each group a table; with the
 * buttons to change, retire and restore one when `actions` are given.
 */
export function RuleGroups<T extends RuleLike>({
  rules,
  idPrefix,
  actions,
}: {
  rules: readonly T[];
  idPrefix: string;
  actions: { edit: (r: T) => void; retire: (r: T) => void; restore: (r: T) => void } | null;
}) {
  return (
    <>
      {groupRules(rules).map((g) => (
        <section
          key={g.category}
          class="card rule-group"
          aria-labelledby={`${idPrefix}-${g.category}`}
        >
          <h2 class="small-title" id={`${idPrefix}-${g.category}`}>
            {tKnown("category", g.category)}
            <span class="count">{g.rules.length}</span>
          </h2>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("rules.code")}</th>
                  <th scope="col">{t("rules.title")}</th>
                  <th scope="col" class="num-col">
                    {t("rules.points")}
                  </th>
                  <th scope="col" class="num-col">
                    {t("rules.cap")}
                  </th>
                  {actions ? <th scope="col">{t("common.actions")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {g.rules.map((r) => {
                  const retired = r.active === false;
                  return (
                    <tr key={r.id} class={retired ? "muted-row" : undefined}>
                      <td class="mono">{r.code}</td>
                      <td>
                        <bdi>{r.title}</bdi>
                        {retired ? <span class="tag muted">{t("rules.retiredTag")}</span> : null}
                        {r.suspendMonths != null ? (
                          <span class="tag warn">
                            {t("rules.suspendTag", { months: r.suspendMonths })}
                          </span>
                        ) : null}
                      </td>
                      <td class="num-col">
                        <Points value={r.points} signed />
                      </td>
                      <td class="num-col">{r.monthlyCap ?? "—"}</td>
                      {actions ? (
                        <td class="row-actions">
                          <button
                            type="button"
                            class="button small"
                            onClick={() => actions.edit(r)}
                            aria-label={t("rules.editOne", { title: r.title })}
                          >
                            {t("rules.edit")}
                          </button>
                          {retired ? (
                            <button
                              type="button"
                              class="button small"
                              onClick={() => actions.restore(r)}
                              aria-label={t("rules.restoreOne", { title: r.title })}
                            >
                              {t("rules.restore")}
                            </button>
                          ) : (
                            <button
                              type="button"
                              class="button small danger-outline"
                              onClick={() => actions.retire(r)}
                              aria-label={t("rules.retireOne", { title: r.title })}
                            >
                              {t("rules.retire")}
                            </button>
                          )}
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
