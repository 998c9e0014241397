import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { hasScope } from '../auth/caller.ts';
import type { StrataContext } from '../context.ts';
import { unauthorizedError } from './root-scopes.ts';

/**
 * The one schema builder. It sets up types for context and scalars and the auth plugins, and
 * defines no types itself. Scopes: root types get theirs from ROOT_SCOPES (root-scopes.ts);
 * admin-only fields say `authScopes: { admin: true }`.
 */
export const builder = new SchemaBuilder<{
  Context: StrataContext;
  DefaultFieldNullability: false;
  AuthScopes: { read: boolean; write: boolean; admin: boolean };
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, 'strataRootScopes'],
  scopeAuth: {
    // Subscriptions are refused when they start, not on each event.
    authorizeOnSubscribe: true,
    authScopes: ({ caller }) => ({ read: hasScope(caller, 'read'), write: hasScope(caller, 'write'), admin: hasScope(caller, 'admin') }),
    unauthorizedError: (_parent, ctx, info, result) => unauthorizedError(ctx.caller, info, result.failure),
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({
  description:
    'Live changes, over GraphQL over SSE (Accept: text/event-stream, e.g. the graphql-sse client) or WebSocket ' +
    '(graphql-ws protocol), both on /graphql. Each event is resolved like a query, after the change was committed.',
});
