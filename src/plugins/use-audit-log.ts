import { getArgumentValues } from 'graphql/execution/values.js';
import { isAsyncIterable } from '@envelop/core';
import { getOperationAST, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { StrataContext } from '../context.ts';
import { metrics } from '../observability/metrics.ts';
import { mutationFields, outcomeOf, targetIdsOf } from './audit-targets.ts';

const RESULT_IDS = Symbol('strata.auditResultIds');
const WRAPPED = Symbol('strata.auditWrapped');
type AuditedContext = StrataContext & { [RESULT_IDS]?: Map<string, string[]> };

/**
 * The ids a mutation returned (a generated evaluation id, a new edge's id) are known only to its
 * resolver, so each Mutation resolver is wrapped once, at start, to note them per response key.
 * Only Mutation fields are wrapped: queries pay nothing.
 */
function wrapMutationResolvers(schema: GraphQLSchema): void {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve as ((...a: unknown[]) => unknown) & { [WRAPPED]?: true } | undefined;
    if (!resolve || resolve[WRAPPED]) continue;
    const wrapped = async (parent: unknown, args: unknown, ctx: AuditedContext, info: { path: { key: string | number } }) => {
      const value = await resolve(parent, args, ctx, info);
      const id = (value as { id?: unknown; key?: unknown } | null)?.id ?? (value as { key?: unknown } | null)?.key;
      if (typeof id === 'string') ctx[RESULT_IDS]?.set(String(info.path.key), [id]);
      return value;
    };
    field.resolve = Object.assign(wrapped, { [WRAPPED]: true as const }) as typeof field.resolve;
  }
}

/**
 * Appends one audit record per Mutation field executed: key name, field, target ids (from the
 * arguments and the returned object), time, outcome (`ok` or the error code) and request id,
 * whatever the mutation. Refused operations (rate limit, query cost) never start executing and
 * are not recorded; denied ones (FORBIDDEN, UNAUTHENTICATED) are. The response waits for the
 * record to be stored; if storing fails, the write has already happened, so the response is
 * left alone and the failure is logged and counted (strata_audit_failures_total).
 */
export function useAuditLog(): Plugin<StrataContext> {
  return {
    onSchemaChange({ schema }) {
      wrapMutationResolvers(schema);
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const ctx = args.contextValue as AuditedContext;
      const resultIds = new Map<string, string[]>();
      ctx[RESULT_IDS] = resultIds;
      const at = new Date();
      return {
        async onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          const mutation = args.schema.getMutationType()!;
          const records = mutationFields(operation, args.document).map(({ node, responseKey }) => {
            const definition = mutation.getFields()[node.name.value];
            let argValues: Record<string, unknown> = {};
            try {
              if (definition) argValues = getArgumentValues(definition, node, args.variableValues ?? undefined);
            } catch {
              // Arguments that do not coerce: execution reported it; the record keeps no ids.
            }
            return {
              keyName: ctx.caller.keyName,
              operation: node.name.value,
              targetIds: [...new Set([...targetIdsOf(argValues), ...(resultIds.get(responseKey) ?? [])])],
              at,
              outcome: outcomeOf(result.errors, responseKey),
              requestId: ctx.requestId,
            };
          });
          await Promise.all(records.map((r) => ctx.registry.audit.record(r))).catch((err: unknown) => {
            metrics.auditFailures.inc(records.length);
            ctx.logger.error({ err, operations: records.map((r) => r.operation) }, 'could not store the audit record of a mutation');
          });
        },
      };
    },
  };
}
