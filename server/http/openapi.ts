import { toJsonSchema } from '@valibot/to-json-schema'
import type * as v from 'valibot'
import type { RouteRegistry } from './route.ts'

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error', 'requestId'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        field: {
          type: 'string',
          description: 'The input field the error is about (dotted path); the first one refused.',
        },
        fields: {
          type: 'array',
          description:
            'validation_failed only: every input field refused, each once with its first broken rule, in the order checked.',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: {
              field: { type: 'string', description: 'Dotted path, e.g. `cpf` or `join.birthDate`.' },
              message: { type: 'string', description: 'What is wrong, in English, for developers.' },
            },
          },
        },
      },
    },
    requestId: { type: 'string' },
  },
}

function schema(s: v.GenericSchema, mode: 'input' | 'output') {
  const json = toJsonSchema(s, { target: 'draft-2020-12', typeMode: mode, errorMode: 'ignore' }) as Record<
    string,
    unknown
  >
  delete json.$schema
  return json
}

/** OpenAPI 3.1 built from the same schemas that validate requests, so the two cannot drift. */
export function buildOpenApi(registry: RouteRegistry, info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const r of registry) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
    const parameters: unknown[] = []
    for (const [where, s] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!s) continue
      const obj = schema(s, 'input') as { properties?: Record<string, unknown>; required?: string[] }
      for (const [name, prop] of Object.entries(obj.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (obj.required ?? []).includes(name),
          schema: prop,
        })
      }
    }
    const responses: Record<string, unknown> = {}
    for (const [status, res] of Object.entries(r.responses)) {
      responses[status] = res.schema
        ? { description: res.description, content: { 'application/json': { schema: schema(res.schema, 'output') } } }
        : { description: res.description }
    }
    responses.default = {
      description: 'Error',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    }
    // `/v1/programs/{programId}/rewards` → `V1ProgramsProgramIdRewards`, after the method.
    const camelPath = path
      .replace(/[{}]/g, '')
      .replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))
    paths[path] ??= {}
    paths[path][r.method] = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      operationId: `${r.method}${camelPath}`,
      security: r.security.map((name) => ({ [name]: [] })),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schema(r.body, 'input') } } } }
        : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        merchantBearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A panel session JWT from POST /v1/auth/login, or an API token (fid_…) from POST /v1/api-tokens.',
        },
        shopperBearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A shopper's widget access token from POST /v1/widget/{programKey}/login/verify (15 min; refresh " +
            'with …/session/refresh). Valid for that program only.',
        },
      },
    },
  }
}
