import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Api } from "../http/api.ts";
import { IdOut, idParams, toIso } from "../http/schemas.ts";
import { villageExists } from "../villages/village-store.ts";
import { unwrap } from "./http-result.ts";
import { IdIn } from "./entry-schemas.ts";
import { VisibleName } from "../shared/name.ts";
import { SUSPEND_MONTHS_MAX, SUSPEND_MONTHS_MIN } from "./suspension.ts";
import {
  copyRuleTemplates,
  createRule,
  createRuleTemplate,
  findRule,
  listRuleTemplates,
  rulesOfVillage,
  updateRule,
  updateRuleTemplate,
  type RuleRow,
  type RuleTemplateRow,
} from "./rule.ts";

const RuleSchema = z.object({
  id: IdOut,
  villageId: IdOut,
  code: z.string(),
  title: z.string(),
  category: z.string(),
  points: z.number().int(),
  monthlyCap: z.number().int().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  suspendMonths: z
    .number()
    .int()
    .nullable()
    .describe(
      "a posted deduction under the rule suspends the household's redemptions for this many months (一票否决); null: none",
    ),
});
const TemplateSchema = RuleSchema.omit({ villageId: true });

const Code = z.string().trim().min(1).max(20);
const Title = VisibleName(100);
// Built-in categories (law, volunteer, environment, family, civility, other) or a village's own.
const Category = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .describe("law, volunteer, environment, family, civility, other, or the village's own");
const Points = z
  .number()
  .int()
  .min(-10_000)
  .max(10_000)
  .refine((p) => p !== 0, "must not be zero");
const MonthlyCap = z.number().int().min(1).max(1_000_000);
const SuspendMonths = z.number().int().min(SUSPEND_MONTHS_MIN).max(SUSPEND_MONTHS_MAX);

const NewRuleBody = z.strictObject({
  code: Code,
  title: Title,
  category: Category,
  points: Points,
  monthlyCap: MonthlyCap.nullable().optional(),
});
const NewVillageRuleBody = NewRuleBody.extend({
  suspendMonths: SuspendMonths.nullable().optional(),
});
const NewTemplateBody = NewVillageRuleBody;
const RulePatchBody = z
  .strictObject({
    title: Title.optional(),
    category: Category.optional(),
    points: Points.optional(),
    monthlyCap: MonthlyCap.nullable().optional(),
    active: z.boolean().optional(),
    suspendMonths: SuspendMonths.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one field to change",
    params: { code: "nothing-to-change" },
  });

function ruleOut(r: RuleRow): z.infer<typeof RuleSchema> {
  return {
    id: String(r.id),
    villageId: String(r.village_id),
    code: r.code,
    title: r.title,
    category: r.category,
    points: r.points,
    monthlyCap: r.monthly_cap,
    active: r.active === 1,
    createdAt: toIso(r.created_at_ms),
    suspendMonths: r.suspend_months,
  };
}
function templateOut(r: RuleTemplateRow): z.infer<typeof TemplateSchema> {
  return {
    id: String(r.id),
    code: r.code,
    title: r.title,
    category: r.category,
    points: r.points,
    monthlyCap: r.monthly_cap,
    active: r.active === 1,
    createdAt: toIso(r.created_at_ms),
    suspendMonths: r.suspend_months,
  };
}

export function registerRuleRoutes(api: Api): void {
  const villageScope = ({ params }: { params: { villageId: number } }, db: Database) =>
    villageExists(db, params.villageId);
  const staff = ["township_admin", "village_admin", "clerk"] as const;
  const admins = ["township_admin", "village_admin"] as const;

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/rules",
      summary:
        "Add a village rule (points negative for a deduction; monthlyCap counts absolute points per household per month; suspendMonths 1-24 on a deduction suspends the household's redemptions, else 400 suspend-needs-deduction)",
      tag: "rules",
      access: { roles: admins, village: villageScope },
      params: idParams("villageId"),
      body: NewVillageRuleBody,
      responses: {
        201: { description: "Created", schema: z.object({ rule: RuleSchema }) },
        409: { description: "The code is taken in this village" },
      },
    },
    ({ c, db, params, body, audit }) => {
      const rule = unwrap(
        createRule(db, audit, params.villageId, {
          ...body,
          monthlyCap: body.monthlyCap ?? null,
          suspendMonths: body.suspendMonths ?? null,
        }),
      );
      return c.json({ rule: ruleOut(rule) }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/villages/:villageId/rules",
      summary: "A village's rules; retired ones only with includeRetired=true",
      tag: "rules",
      access: { roles: staff, village: villageScope },
      params: idParams("villageId"),
      query: z.strictObject({ includeRetired: z.enum(["true", "false"]).optional() }),
      responses: {
        200: { description: "Rules by code", schema: z.object({ items: z.array(RuleSchema) }) },
      },
    },
    ({ c, db, params, query }) =>
      c.json({
        items: rulesOfVillage(db, params.villageId, query.includeRetired === "true").map(ruleOut),
      }),
  );

  api.route(
    {
      method: "patch",
      path: "/api/rules/:id",
      summary: "Change or retire a rule; past entries keep the copy they were recorded with",
      tag: "rules",
      access: {
        roles: admins,
        village: ({ params }, db) => findRule(db, params.id)?.village_id ?? null,
      },
      params: idParams("id"),
      body: z.strictObject({
        title: Title.optional(),
        category: Category.optional(),
        points: Points.optional(),
        monthlyCap: MonthlyCap.nullable().optional(),
        active: z.boolean().optional(),
        suspendMonths: SuspendMonths.nullable().optional(),
      }),
      responses: {
        200: { description: "The rule as it is now", schema: z.object({ rule: RuleSchema }) },
      },
    },
    ({ c, db, params, body, audit }) =>
      c.json({ rule: ruleOut(unwrap(updateRule(db, audit, params.id, body))) }),
  );

  api.route(
    {
      method: "post",
      path: "/api/rule-templates",
      summary:
        "Add a township rule template that villages copy and adapt (suspendMonths as on a village rule: a deduction only, else 400 suspend-needs-deduction; a copy keeps it)",
      tag: "rules",
      access: { roles: ["township_admin"], village: () => "township" },
      body: NewTemplateBody,
      responses: {
        201: { description: "Created", schema: z.object({ template: TemplateSchema }) },
      },
    },
    ({ c, db, body, audit }) =>
      c.json(
        {
          template: templateOut(
            unwrap(
              createRuleTemplate(db, audit, {
                ...body,
                monthlyCap: body.monthlyCap ?? null,
                suspendMonths: body.suspendMonths ?? null,
              }),
            ),
          ),
        },
        201,
      ),
  );

  api.route(
    {
      method: "get",
      path: "/api/rule-templates",
      summary: "The township's rule templates; retired ones only with includeRetired=true",
      tag: "rules",
      access: { roles: staff, village: "own" },
      query: z.strictObject({ includeRetired: z.enum(["true", "false"]).optional() }),
      responses: {
        200: {
          description: "Templates by code",
          schema: z.object({ items: z.array(TemplateSchema) }),
        },
      },
    },
    ({ c, db, query }) =>
      c.json({ items: listRuleTemplates(db, query.includeRetired === "true").map(templateOut) }),
  );

  api.route(
    {
      method: "patch",
      path: "/api/rule-templates/:id",
      summary:
        "Change or retire (active: false) a township rule template; rules villages copied from it stay as they are",
      tag: "rules",
      access: {
        roles: ["township_admin"],
        village: ({ params }, db) =>
          db.query("SELECT 1 FROM rule_templates WHERE id = ?").get(params.id) === null
            ? null
            : "township",
      },
      params: idParams("id"),
      body: RulePatchBody,
      responses: {
        200: {
          description: "The template as it is now",
          schema: z.object({ template: TemplateSchema }),
        },
      },
    },
    ({ c, db, params, body, audit }) =>
      c.json({ template: templateOut(unwrap(updateRuleTemplate(db, audit, params.id, body))) }),
  );

  api.route(
    {
      method: "post",
      path: "/api/villages/:villageId/rules/from-templates",
      summary:
        "Copy township templates into the village's rules, all or none (a code already used answers 409)",
      tag: "rules",
      access: { roles: admins, village: villageScope },
      params: idParams("villageId"),
      body: z.strictObject({ templateIds: z.array(IdIn).min(1).max(200) }),
      responses: {
        201: { description: "The new rules", schema: z.object({ items: z.array(RuleSchema) }) },
        409: {
          description:
            "A code the village already uses (rule-code-taken) or a retired template (template-retired): nothing copied",
        },
      },
    },
    ({ c, db, params, body, audit }) =>
      c.json(
        {
          items: unwrap(copyRuleTemplates(db, audit, params.villageId, body.templateIds)).map(
            ruleOut,
          ),
        },
        201,
      ),
  );
}
