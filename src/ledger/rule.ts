/**
 * Village rules (村规民约) and the township's rule templates: the store and the write use cases.
 * An entry copies its rule's code, title, category and points when it is recorded, so changing or
 * retiring a rule here never changes a past entry.
 */
import type { Database } from "bun:sqlite";
import { recordAudit, type AuditContext } from "../audit/audit.ts";
import { inTransaction, refuse, type LedgerResult } from "./refusal.ts";

export type RuleRow = {
  id: number;
  village_id: number;
  code: string;
  title: string;
  category: string;
  points: number;
  monthly_cap: number | null;
  active: number;
  created_at_ms: number;
  /** Months a posted deduction under the rule suspends the household's redemptions (src/ledger/suspension.ts). */
  suspend_months: number | null;
};

export type RuleTemplateRow = Omit<RuleRow, "village_id">;

export type NewRule = {
  code: string;
  title: string;
  category: string;
  points: number;
  monthlyCap: number | null;
  suspendMonths?: number | null;
};
export type RulePatch = Partial<{
  title: string;
  category: string;
  points: number;
  monthlyCap: number | null;
  active: boolean;
  suspendMonths: number | null;
}>;

/** Only a deduction suspends: a rule that awards points with suspendMonths is refused. */
function refuseSuspendingAward(points: number, suspendMonths: number | null | undefined): void {
  if (suspendMonths != null && points > 0) {
    refuse(
      "validation",
      "Only a deduction rule (negative points) may suspend redemptions.",
      "body.suspendMonths",
      { code: "suspend-needs-deduction", params: {} },
    );
  }
}

export function findRule(db: Database, id: number): RuleRow | null {
  return db.query<RuleRow, [number]>("SELECT * FROM rules WHERE id = ?").get(id);
}

export function rulesOfVillage(
  db: Database,
  villageId: number,
  includeRetired: boolean,
): RuleRow[] {
  return db
    .query<RuleRow, [number, number]>(
      "SELECT * FROM rules WHERE village_id = ? AND (active = 1 OR ?) ORDER BY code",
    )
    .all(villageId, includeRetired ? 1 : 0);
}

export function listRuleTemplates(db: Database, includeRetired: boolean): RuleTemplateRow[] {
  return db
    .query<RuleTemplateRow, [number]>(
      "SELECT * FROM rule_templates WHERE active = 1 OR ? ORDER BY code",
    )
    .all(includeRetired ? 1 : 0);
}

export function findRuleTemplate(db: Database, id: number): RuleTemplateRow | null {
  return db.query<RuleTemplateRow, [number]>("SELECT * FROM rule_templates WHERE id = ?").get(id);
}

function codeTaken(db: Database, villageId: number, code: string): boolean {
  return (
    db.query("SELECT 1 FROM rules WHERE village_id = ? AND code = ?").get(villageId, code) !== null
  );
}

function insertRule(db: Database, villageId: number, r: NewRule, nowMs: number): RuleRow {
  refuseSuspendingAward(r.points, r.suspendMonths);
  return db
    .query<RuleRow, [number, string, string, string, number, number | null, number, number | null]>(
      "INSERT INTO rules (village_id, code, title, category, points, monthly_cap, created_at_ms, suspend_months) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .get(
      villageId,
      r.code,
      r.title,
      r.category,
      r.points,
      r.monthlyCap,
      nowMs,
      r.suspendMonths ?? null,
    )!;
}

export function createRule(
  db: Database,
  audit: AuditContext,
  villageId: number,
  rule: NewRule,
): LedgerResult<RuleRow> {
  return inTransaction(db, () => {
    if (codeTaken(db, villageId, rule.code))
      refuse("conflict", `The village already has a rule with code ${rule.code}.`, "body.code", {
        code: "rule-code-taken",
        params: { code: rule.code },
      });
    const row = insertRule(db, villageId, rule, audit.nowMs);
    recordAudit(db, audit, {
      action: "create",
      entity: "rule",
      entityId: row.id,
      villageId,
      detail: { ...rule },
    });
    return row;
  });
}

/** The columns a patch changes, as `column = ?` and their values: rules and templates share them. */
function patchColumns(patch: RulePatch): { sets: string[]; values: (string | number | null)[] } {
  const sets: string[] = [];
  const values: (string | number | null)[] = [];
  if (patch.title !== undefined) (sets.push("title = ?"), values.push(patch.title));
  if (patch.category !== undefined) (sets.push("category = ?"), values.push(patch.category));
  if (patch.points !== undefined) (sets.push("points = ?"), values.push(patch.points));
  if (patch.monthlyCap !== undefined) (sets.push("monthly_cap = ?"), values.push(patch.monthlyCap));
  if (patch.active !== undefined) (sets.push("active = ?"), values.push(patch.active ? 1 : 0));
  if (patch.suspendMonths !== undefined)
    (sets.push("suspend_months = ?"), values.push(patch.suspendMonths));
  return { sets, values };
}

/** Changes a rule for future entries only: past entries keep the copy they were recorded with. */
export function updateRule(
  db: Database,
  audit: AuditContext,
  ruleId: number,
  patch: RulePatch,
): LedgerResult<RuleRow> {
  return inTransaction(db, () => {
    const before = findRule(db, ruleId);
    if (before === null) refuse("not-found", "No such rule.");
    refuseSuspendingAward(
      patch.points ?? before.points,
      patch.suspendMonths === undefined ? before.suspend_months : patch.suspendMonths,
    );
    const { sets, values } = patchColumns(patch);
    if (sets.length > 0)
      db.query(`UPDATE rules SET ${sets.join(", ")} WHERE id = ?`).run(...values, ruleId);
    recordAudit(db, audit, {
      action: "update",
      entity: "rule",
      entityId: ruleId,
      villageId: before.village_id,
      detail: { ...patch },
    });
    return findRule(db, ruleId)!;
  });
}

/**
 * Changes or retires a township template. Rules villages already copied from it are theirs and do
 * not change; a retired template is no longer listed by default nor copied.
 */
export function updateRuleTemplate(
  db: Database,
  audit: AuditContext,
  templateId: number,
  patch: RulePatch,
): LedgerResult<RuleTemplateRow> {
  return inTransaction(db, () => {
    const before = findRuleTemplate(db, templateId);
    if (before === null) refuse("not-found", "No such rule template.");
    refuseSuspendingAward(
      patch.points ?? before.points,
      patch.suspendMonths === undefined ? before.suspend_months : patch.suspendMonths,
    );
    const { sets, values } = patchColumns(patch);
    if (sets.length > 0)
      db.query(`UPDATE rule_templates SET ${sets.join(", ")} WHERE id = ?`).run(
        ...values,
        templateId,
      );
    recordAudit(db, audit, {
      action: patch.active === false && before.active === 1 ? "retire" : "update",
      entity: "rule_template",
      entityId: templateId,
      villageId: null,
      detail: { code: before.code, ...patch },
    });
    return findRuleTemplate(db, templateId)!;
  });
}

export function createRuleTemplate(
  db: Database,
  audit: AuditContext,
  template: NewRule,
): LedgerResult<RuleTemplateRow> {
  return inTransaction(db, () => {
    if (db.query("SELECT 1 FROM rule_templates WHERE code = ?").get(template.code)) {
      refuse(
        "conflict",
        `A rule template with code ${template.code} already exists.`,
        "body.code",
        { code: "rule-code-taken", params: { code: template.code } },
      );
    }
    refuseSuspendingAward(template.points, template.suspendMonths);
    const row = db
      .query<
        RuleTemplateRow,
        [string, string, string, number, number | null, number, number | null]
      >(
        "INSERT INTO rule_templates (code, title, category, points, monthly_cap, created_at_ms, suspend_months) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
      )
      .get(
        template.code,
        template.title,
        template.category,
        template.points,
        template.monthlyCap,
        audit.nowMs,
        template.suspendMonths ?? null,
      )!;
    recordAudit(db, audit, {
      action: "create",
      entity: "rule_template",
      entityId: row.id,
      villageId: null,
      detail: { ...template },
    });
    return row;
  });
}

/**
 * Copies templates into a village's rules, all or none. A template whose code the village already
 * uses is refused (409) rather than silently skipped, so the village sees the clash and can rename.
 */
export function copyRuleTemplates(
  db: Database,
  audit: AuditContext,
  villageId: number,
  templateIds: readonly number[],
): LedgerResult<RuleRow[]> {
  return inTransaction(db, () => {
    const created: RuleRow[] = [];
    for (const templateId of new Set(templateIds)) {
      const t = db
        .query<RuleTemplateRow, [number]>("SELECT * FROM rule_templates WHERE id = ?")
        .get(templateId);
      if (t === null) refuse("not-found", `No rule template ${templateId}.`);
      if (t.active !== 1)
        refuse("conflict", `The rule template ${t.code} is retired.`, "body.templateIds", {
          code: "template-retired",
          params: { template: t.title },
        });
      if (codeTaken(db, villageId, t.code))
        refuse(
          "conflict",
          `The village already has a rule with code ${t.code}.`,
          "body.templateIds",
          { code: "rule-code-taken", params: { code: t.code } },
        );
      created.push(
        insertRule(
          db,
          villageId,
          {
            code: t.code,
            title: t.title,
            category: t.category,
            points: t.points,
            monthlyCap: t.monthly_cap,
            suspendMonths: t.suspend_months,
          },
          audit.nowMs,
        ),
      );
    }
    recordAudit(db, audit, {
      action: "copy_templates",
      entity: "rule",
      entityId: null,
      villageId,
      detail: { templateIds: [...new Set(templateIds)] },
    });
    return created;
  });
}
