import { z } from 'zod';
import type { AnyRoute, RouteRegistry } from './define-route.js';

const errorSchema = z.object({
  error: z.object({
    status: z.number().int(),
    message: z.string(),
    details: z.array(z.string()).optional(),
  }),
});

/** JSON Schema 2020-12 of a zod schema, as OpenAPI 3.1 takes it (input shape for requests). */
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

/** '/tenants/:tenantId' → '/api/tenants/{tenantId}'. */
export const openApiPath = (path: string) => `/api${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;

function parameters(route: AnyRoute) {
  const out: object[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const shape = jsonSchema(schema, 'input') as {
      properties?: Record<string, object>;
      required?: string[];
    };
    for (const [name, s] of Object.entries(shape.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === 'path' || (shape.required ?? []).includes(name),
        schema: s,
      });
    }
  }
  return out;
}

/** The OpenAPI 3.1 document of every route in the registry, from the routes' own zod schemas. */
export function openApiDocument(registry: RouteRegistry, version: string) {
  const paths: Record<string, Record<string, object>> = {};
  for (const route of registry.routes) {
    const path = openApiPath(route.path);
    const errors = {
      ...(route.access === 'public'
        ? {}
        : {
            401: ref('no or an unknown token'),
            403: ref('a token for another tenant, or not the agency token'),
          }),
      404: ref('not found'),
      422: ref('the request is not valid: every problem listed by path'),
    };
    const content: Record<string, object> = {
      'application/json': { schema: jsonSchema(route.response, 'output') },
    };
    for (const type of route.alsoProduces ?? []) content[type] = { schema: { type: 'string' } };
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(route.access === 'public' ? { security: [] } : {}),
      parameters: parameters(route),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses: { [String(route.status ?? 200)]: { description: 'success', content }, ...errors },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'deskplan admin API',
      version,
      description:
        'Tenants, usage, billing, SLA and operations of a deskplan deployment. Every route but this document needs a token: `Authorization: Bearer <token>`; tenant-scoped tokens see their own tenant only.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
    security: [{ bearer: [] }],
    paths,
  };
}

function ref(description: string) {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}
