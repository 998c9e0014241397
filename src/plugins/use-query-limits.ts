import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Armor's validation rules throw their error by default, which aborts validation as a whole and
 * reaches the client without a code or a 400; reported as a validation error instead, it is
 * coded GRAPHQL_VALIDATION_FAILED like every other (useErrorCodes).
 */
const asValidationError = { propagateOnRejection: false, onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(err)] };

export interface QueryLimitOptions {
  /** Deepest field nesting, fragments flattened, introspection not counted. @default 15 (MAX_QUERY_DEPTH) */
  maxDepth: number;
  /** Aliases in one operation. @default 100 (MAX_ALIASES) */
  maxAliases: number;
  /** Directives in one operation. @default 50 (MAX_DIRECTIVES) */
  maxDirectives: number;
  /** Lexical tokens in one document, counted while parsing, so a huge document stops early. @default 5000 (MAX_TOKENS) */
  maxTokens: number;
  /** Hide "Did you mean ...?" in validation errors, which would leak the schema. @default true in production */
  blockSuggestions: boolean;
}

/**
 * The static limits on what a document may ask, from GraphQL Armor (one plugin per limit, all
 * checked at parse or validation, so yoga's parse/validation cache keeps them free for a document
 * it has seen). Cost, which depends on variables, is useQueryCost's.
 */
export function useQueryLimits(options: QueryLimitOptions): Plugin {
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(maxTokensPlugin({ n: options.maxTokens }));
      addPlugin(maxDepthPlugin({ n: options.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...asValidationError }));
      addPlugin(maxAliasesPlugin({ n: options.maxAliases, ...asValidationError }));
      addPlugin(maxDirectivesPlugin({ n: options.maxDirectives, ...asValidationError }));
      if (options.blockSuggestions) addPlugin(blockFieldSuggestionsPlugin());
    },
  };
}
