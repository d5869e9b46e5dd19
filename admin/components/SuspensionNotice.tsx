import { get } from "../api.ts";
import { lang, t } from "../i18n/index.ts";
import { formatDay } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import type { Suspension } from "../types.ts";
import { Alert } from "./Alert.tsx";
import { Msg } from "./Msg.tsx";

/**
 * Why a household may not redeem at the supermarket (一票否决): the rule, the deduction's entry
 * and the day it ends, from GET /api/households/:id/suspension. Nothing when it is not suspended.
 */
export function SuspensionNotice({ householdId }: { householdId: string }) {
  const [loaded] = useLoad(
    () =>
      get<{ suspension: Suspension | null }>(
        `/api/households/${encodeURIComponent(householdId)}/suspension`,
      ),
    [householdId],
  );
  const state = loaded.value;
  if (state.state !== "ok" || state.data.suspension === null) return null;
  const s = state.data.suspension;
  return (
    <Alert tone="warn">
      <strong class="block">{t("suspension.title")}</strong>
      <span class="block">
        <Msg
          id="suspension.body"
          values={{
            rule: s.ruleTitle,
            from: formatDay(s.from, lang.value),
            until: formatDay(s.until, lang.value),
            months: s.months,
            entry: s.entryId,
          }}
        />
      </span>
      <span class="hint block">{t("suspension.hint")}</span>
    </Alert>
  );
}
