import { z } from "zod";
import type { Api } from "./api.ts";

const PROBLEM_SCHEMA = {
  type: "object",
  required: ["type", "title", "status"],
  properties: {
    type: { type: "string", description: "ends in the problem's slug, e.g. /problems/validation" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "message"],
        properties: { path: { type: "string" }, message: { type: "string" } },
      },
    },
  },
};

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const out = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Record<string, unknown>;
  delete out["$schema"];
  return out;
}

function parameters(schema: z.ZodType | undefined, where: "path" | "query"): unknown[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: where,
    required: where === "path" || !field.safeParse(undefined).success,
    schema: jsonSchema(field, "input"),
  }));
}

/** Builds the OpenAPI 3.1 document from the same zod schemas that validate requests. */
export function buildOpenApi(api: Api, publicUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, spec } of api.routes) {
    const oasPath = path.replace(/:([A-Za-z]+)/g, "{$1}");
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      const contentType = r.contentType ?? "application/json";
      responses[status] = r.schema
        ? {
            description: r.description,
            content: { [contentType]: { schema: jsonSchema(r.schema, "output") } },
          }
        : { description: r.description };
    }
    responses["default"] = {
      description: "A problem (RFC 9457)",
      content: { "application/problem+json": { schema: PROBLEM_SCHEMA } },
    };
    const operation: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: `${method}${oasPath.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ""))}`,
      parameters: [...parameters(spec.params, "path"), ...parameters(spec.query, "query")],
      responses,
      security: "public" in spec.access ? [] : [{ session: [] }, { device: [] }],
      "x-roles": "public" in spec.access ? ["public"] : spec.access.roles,
    };
    if (spec.bodyKind === "csv") {
      operation["requestBody"] = {
        required: true,
        content: { "text/csv": { schema: { type: "string" } } },
      };
    } else if (spec.bodyKind === "image") {
      operation["requestBody"] = {
        required: true,
        content: { "image/jpeg": {}, "image/png": {}, "image/webp": {} },
      };
    } else if (spec.body) {
      operation["requestBody"] = {
        required: true,
        content: { "application/json": { schema: jsonSchema(spec.body, "input") } },
      };
    }
    (paths[oasPath] ??= {})[method] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "jifen: village points and points supermarket",
      version: "0.1.0",
      description: "积分制管理与积分超市 API. Errors are RFC 9457 problems.",
    },
    servers: [{ url: publicUrl }],
    paths,
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "jifen_session" },
        device: { type: "http", scheme: "bearer", description: "a kiosk device token" },
      },
    },
  };
}
