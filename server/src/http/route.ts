import type { FastifyContextConfig, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ErrorBody, errorStatuses, ROUTES, type ErrorCode, type RouteName, type Routes, type RouteSpec } from '@monkeytown/shared';

type App = Parameters<FastifyPluginAsyncZod>[0];
type Field<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? z.output<S> : unknown;

/** The request of a table route: params, query, body and headers as its schemas parse them. */
export type RouteRequest<N extends RouteName> = FastifyRequest<{
  Params: Field<Routes[N], 'params'>;
  Querystring: Field<Routes[N], 'query'>;
  Body: Field<Routes[N], 'body'>;
  Headers: Field<Routes[N], 'headers'>;
}>;

/** A handler answers the route's success body (its status is set from the table) or sends the reply itself. */
export type RouteHandler<N extends RouteName> = (
  req: RouteRequest<N>,
  reply: FastifyReply,
) => Promise<z.input<Routes[N]['response']['schema']> | FastifyReply>;

export interface ServeOptions {
  preHandler?: preHandlerHookHandler[];
  config?: FastifyContextConfig;
}

// One ErrorBody per distinct set of codes, described by them (the OpenAPI entry says which
// codes travel with the status); reused so the serializer compiles each once.
const described = new Map<string, z.ZodType>();
function errorBodyOf(codes: readonly ErrorCode[]): z.ZodType {
  const key = codes.join(', ');
  let schema = described.get(key);
  if (!schema) described.set(key, (schema = ErrorBody.describe(key)));
  return schema;
}

/**
 * The Fastify schema of a table route: its params, query, headers and body; its success
 * response; and one ErrorBody response per distinct status of its error codes (ERROR_STATUS),
 * so the OpenAPI document lists exactly what the table declares.
 */
export function routeSchema(r: RouteSpec) {
  const response: Record<number, z.ZodType> = { [r.response.status]: r.response.schema };
  for (const [status, codes] of errorStatuses(r.errors)) response[status] = errorBodyOf(codes);
  return {
    tags: [...r.tags],
    summary: r.summary,
    ...(r.auth ? { security: [{ bearer: [] }] } : {}),
    ...(r.params ? { params: r.params } : {}),
    ...(r.query ? { querystring: r.query } : {}),
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.body ? { body: r.body } : {}),
    ...(r.response.produces ? { produces: [...r.response.produces] } : {}),
    response,
  };
}

/** Registers the table's route `name` with its handler (server/src/routes/*). */
export function serve<N extends RouteName>(app: App, name: N, opts: ServeOptions, handler: RouteHandler<N>): void {
  const r: RouteSpec = ROUTES[name];
  const status = r.response.status;
  const run = handler as (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  app.route({
    method: r.method,
    url: r.path,
    schema: routeSchema(r),
    ...(opts.preHandler ? { preHandler: opts.preHandler } : {}),
    ...(opts.config ? { config: opts.config } : {}),
    // 200 is Fastify's default: those handlers run as they are (the move path stays one call).
    handler:
      status === 200
        ? run
        : async (req, reply) => {
            const out = await run(req, reply);
            if (out !== reply) reply.status(status);
            return out;
          },
  });
}
