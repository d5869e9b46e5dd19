import { useSignal } from "@preact/signals";
import { fieldErrors, patch, post } from "../api.ts";
import { t, tKnown } from "../i18n/index.ts";
import { problemDetail, problemText } from "../logic/problems.ts";
import type { Household } from "../types.ts";
import { Alert } from "./Alert.tsx";
import { TextField } from "./Field.tsx";
import { FormButtons } from "./FormButtons.tsx";

/** The relation codes the server keeps, in the order a form offers them. */
export const RELATIONS = [
  "spouse",
  "son",
  "daughter",
  "daughter_in_law",
  "son_in_law",
  "grandson",
  "granddaughter",
  "father",
  "mother",
  "grandfather",
  "grandmother",
  "brother",
  "sister",
  "other",
] as const;
const NAME_MAX = 40;
const ADDRESS_MAX = 120;
const MEMBERS_MAX = 30;

type MemberDraft = { id?: string; name: string; relation: string };
type Errors = Partial<Record<"headName" | "address" | "externalId" | "members", string>>;

/** Add a household, or change one: the head, the address, the village's own number, the members. */
export function HouseholdForm({
  villageId,
  household,
  onDone,
  onCancel,
}: {
  villageId: string;
  household: Household | null;
  onDone: (h: Household) => void;
  onCancel: () => void;
}) {
  const headName = useSignal(household?.headName ?? "");
  const address = useSignal(household?.address ?? "");
  const externalId = useSignal(household?.externalId ?? "");
  const members = useSignal<MemberDraft[]>(
    household?.members
      .filter((m) => !m.isHead)
      .map((m) => ({ id: m.id, name: m.name, relation: m.relation ?? "other" })) ?? [],
  );
  const errors = useSignal<Errors>({});
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);

  const setMember = (i: number, change: Partial<MemberDraft>) =>
    (members.value = members.value.map((m, j) => (j === i ? { ...m, ...change } : m)));

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: Errors = {};
    if (headName.value.trim() === "") errs.headName = t("householdForm.errHead");
    else if (headName.value.trim().length > NAME_MAX)
      errs.headName = t("householdForm.errLong", { max: NAME_MAX });
    if (address.value.trim().length > ADDRESS_MAX)
      errs.address = t("householdForm.errLong", { max: ADDRESS_MAX });
    const list = members.value.filter((m) => m.name.trim() !== "");
    if (list.some((m) => m.name.trim().length > NAME_MAX))
      errs.members = t("householdForm.errLong", { max: NAME_MAX });
    errors.value = errs;
    if (Object.keys(errs).length > 0) return;
    busy.value = true;
    failure.value = null;
    const body = {
      headName: headName.value.trim(),
      address: address.value.trim(),
      ...(externalId.value.trim()
        ? { externalId: externalId.value.trim() }
        : household?.externalId
          ? { externalId: null }
          : {}),
      members: list.map((m) => ({
        ...(m.id ? { id: m.id } : {}),
        name: m.name.trim(),
        relation: m.relation,
      })),
    };
    const res =
      household === null
        ? await post<{ household: Household }>(`/api/villages/${villageId}/households`, body)
        : await patch<{ household: Household }>(`/api/households/${household.id}`, body);
    busy.value = false;
    if (res.ok) {
      onDone(res.data.household);
      return;
    }
    const fields = fieldErrors(res.error);
    errors.value = {
      ...(fields["headName"] ? { headName: t("householdForm.errHead") } : {}),
      ...(fields["address"] ? { address: t("householdForm.errLong", { max: ADDRESS_MAX }) } : {}),
      ...(fields["externalId"] ? { externalId: t("householdForm.errExternal") } : {}),
      ...(fields["members"] ? { members: t("householdForm.errMembers") } : {}),
    };
    const conflict = res.error.kind === "problem" && res.error.status === 409;
    failure.value = `${conflict ? t("householdForm.conflict") : problemText(res.error)} ${problemDetail(res.error)}`;
  };

  const e = errors.value;
  return (
    <form class="stack household-form" onSubmit={submit} noValidate>
      <div class="field-row">
        <TextField
          id="hh-head"
          label={t("household.head")}
          error={e.headName}
          maxLength={NAME_MAX}
          value={headName.value}
          onValue={(v) => (headName.value = v)}
        />
        <TextField
          id="hh-external"
          label={t("household.externalId")}
          optional
          error={e.externalId}
          hint={t("householdForm.externalHint")}
          maxLength={40}
          value={externalId.value}
          onValue={(v) => (externalId.value = v)}
        />
      </div>
      <TextField
        id="hh-address"
        label={t("household.address")}
        optional
        error={e.address}
        hint={t("householdForm.addressHint")}
        maxLength={ADDRESS_MAX}
        value={address.value}
        onValue={(v) => (address.value = v)}
      />
      <fieldset class="members-edit" aria-describedby={e.members ? "hh-members-error" : undefined}>
        <legend>{t("household.members")}</legend>
        {members.value.length === 0 ? <p class="hint">{t("householdForm.noMembers")}</p> : null}
        {members.value.map((m, i) => (
          <div class="member-row" key={i}>
            <TextField
              id={`hh-m-${i}`}
              label={t("householdForm.memberName", { n: i + 1 })}
              maxLength={NAME_MAX}
              value={m.name}
              onValue={(v) => setMember(i, { name: v })}
            />
            <div class="field">
              <label for={`hh-r-${i}`}>{t("householdForm.relation")}</label>
              <select
                id={`hh-r-${i}`}
                value={m.relation}
                onChange={(ev) =>
                  setMember(i, { relation: (ev.target as HTMLSelectElement).value })
                }
              >
                {RELATIONS.map((r) => (
                  <option key={r} value={r}>
                    {tKnown("relation", r)}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              class="button ghost small"
              aria-label={t("householdForm.removeMember", { name: m.name || String(i + 1) })}
              onClick={() => (members.value = members.value.filter((_, j) => j !== i))}
            >
              {t("record.remove")}
            </button>
          </div>
        ))}
        {members.value.length < MEMBERS_MAX ? (
          <button
            type="button"
            class="button small"
            onClick={() => (members.value = [...members.value, { name: "", relation: "spouse" }])}
          >
            {t("householdForm.addMember")}
          </button>
        ) : null}
        {e.members ? (
          <p class="field-error" id="hh-members-error" role="alert">
            {e.members}
          </p>
        ) : null}
      </fieldset>
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons busy={busy.value} submit={t("common.save")} onCancel={onCancel} />
    </form>
  );
}
