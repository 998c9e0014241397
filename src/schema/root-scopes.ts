import SchemaBuilder, { BasePlugin, type PothosTypeConfig, type SchemaTypes } from '@pothos/core';
import { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import type { GraphQLResolveInfo } from 'graphql';
import type { Scope } from '../auth/api-keys.ts';
import type { Caller } from '../auth/caller.ts';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';

/**
 * The scope every field of a root type needs unless the field says otherwise: reading needs
 * `read`, writing `write`, and a subscription is a read. Admin-only fields add `{ admin: true }`
 * where they are defined (scope-auth checks the type's scopes and the field's, both).
 */
export const ROOT_SCOPES: Partial<Record<string, Partial<Record<Scope, true>>>> = {
  Query: { read: true },
  Mutation: { write: true },
  Subscription: { read: true },
};

/**
 * Puts ROOT_SCOPES on the root types as if each `builder.queryType(...)`, `mutationType(...)` and
 * `subscriptionType(...)` had said `authScopes: ...`, wherever in the schema those are declared,
 * so no schema file has to remember it (and a Subscription type added later is covered too).
 */
class RootScopesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onTypeConfig(typeConfig: PothosTypeConfig): PothosTypeConfig {
    const scopes = ROOT_SCOPES[typeConfig.kind];
    const options = typeConfig.pothosOptions as { authScopes?: unknown };
    if (!scopes || options.authScopes) return typeConfig;
    return { ...typeConfig, pothosOptions: { ...typeConfig.pothosOptions, authScopes: scopes } } as PothosTypeConfig;
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      strataRootScopes: RootScopesPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin('strataRootScopes', RootScopesPlugin);

function missingScopes(failure: AuthFailure): string[] {
  if (failure.kind === AuthScopeFailureType.AuthScope) return [failure.scope];
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes) {
    return failure.failures.flatMap(missingScopes);
  }
  return [];
}

/**
 * UNAUTHENTICATED when no key was sent (sending one may help), FORBIDDEN when the key lacks the
 * scope (it will not): the distinction a client needs to act.
 */
export function unauthorizedError(caller: Caller, info: GraphQLResolveInfo, failure: AuthFailure): Error {
  if (!caller.authenticated) return new UnauthenticatedError(`${info.parentType.name}.${info.fieldName} needs an API key: send "Authorization: Bearer <key>".`);
  const needed = [...new Set(missingScopes(failure))];
  return new ForbiddenError(
    `The key "${caller.keyName}" may not use ${info.parentType.name}.${info.fieldName}: it needs the ${needed.join(' or ') || 'right'} scope.`,
    { needed },
  );
}
