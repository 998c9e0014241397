import { isAsyncIterable } from '@envelop/core';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { parseLsn } from '../backends/postgres/lsn.ts';
import { newSession, runInSession, type ReadSession } from '../backends/postgres/read-session.ts';
import { readRouterOf, type ReadRouter } from '../backends/postgres/read-routing.ts';
import type { AppDeps, StrataContext } from '../context.ts';
import { BadUserInputError } from '../errors.ts';

/** The request header that carries a consistency token back (a mutation returns it in `extensions.consistencyToken`). */
export const CONSISTENCY_HEADER = 'x-strata-consistency';

/**
 * Read replicas (issue 9): runs each GraphQL operation in a read session, which is what lets the
 * read router (read-routing.ts) send its read-only statements to a replica.
 * - A mutation makes its HTTP request primary-only: its own reads, and those of any later operation
 *   of a batch, go to the primary (read-your-writes within a request).
 * - A mutation that sent any statement to the primary returns the primary's WAL position after it
 *   as a consistency token in `extensions.consistencyToken`. A request that sends it back in the
 *   `x-strata-consistency` header reads from a replica only once that replica has replayed that
 *   far, else from the primary.
 * - The same mutation opens the caller's read-your-writes window (DATABASE_READ_YOUR_WRITES_MS).
 * Subscriptions get no session, so they read the primary. Within a batch, the mutation has finished
 * before a later operation reads (use-batch-order.ts, installed with or without replicas). Without
 * DATABASE_READ_URL this plugin is not installed at all.
 */
export function useReadRouting(deps: Pick<AppDeps, 'registry'>): Plugin[] {
  const router = readRouterOf(deps.registry.sql);
  if (!router) return [];
  // One session per HTTP request, shared by the operations of a batch.
  const sessions = new WeakMap<Request, ReadSession>();
  return [
    {
      onExecute({ args, executeFn, setExecuteFn }) {
        const ctx = args.contextValue as unknown as StrataContext & { request?: Request };
        const mutation = getOperationAST(args.document, args.operationName)?.operation === 'mutation';
        setExecuteFn(async (execArgs) => {
          const session = sessionOf(ctx, sessions);
          if (mutation) session.primaryOnly = true;
          const before = session.primaryStatements;
          const result = await runInSession(session, () => executeFn(execArgs));
          if (mutation && session.primaryStatements > before && !isAsyncIterable(result)) {
            const token = await afterWrite(router, session);
            if (token) result.extensions = { ...result.extensions, consistencyToken: token };
          }
          return result;
        });
      },
    },
  ];
}

function sessionOf(ctx: StrataContext & { request?: Request }, sessions: WeakMap<Request, ReadSession>): ReadSession {
  const request = ctx.request;
  const existing = request && sessions.get(request);
  if (existing) return existing;
  const session = newSession(ctx.caller.keyName ?? '', tokenOf(request), false);
  if (request) sessions.set(request, session);
  return session;
}

function tokenOf(request: Request | undefined): bigint | null {
  const text = request?.headers.get(CONSISTENCY_HEADER);
  if (text === null || text === undefined || text === '') return null;
  const lsn = parseLsn(text.trim());
  if (lsn === null) {
    throw new BadUserInputError(
      `The ${CONSISTENCY_HEADER} header must be a consistency token as a mutation returned it (extensions.consistencyToken, like "0/16B3748"); got ${JSON.stringify(text.slice(0, 40))}.`,
      { header: CONSISTENCY_HEADER },
    );
  }
  return lsn;
}

/** The token and the window, before the mutation's response is sent. Neither may fail the mutation. */
async function afterWrite(router: ReadRouter, session: ReadSession): Promise<string | null> {
  const [token] = await Promise.all([router.consistencyToken().catch(() => null), router.recentWriters?.mark(session.caller)]);
  return token;
}
