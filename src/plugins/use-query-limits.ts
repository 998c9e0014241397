import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

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
  const maxNesting = 2 * options.maxDepth + 32;
  return {
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      if (source.length > 256 && nesting(source) > maxNesting) {
        throw createGraphQLError(`The document nests brackets more than ${maxNesting} deep (from MAX_QUERY_DEPTH).`, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
      }
    },
    onPluginInit({ addPlugin }) {
      addPlugin(maxTokensPlugin({ n: options.maxTokens }));
      addPlugin(maxDepthPlugin({ n: options.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...asValidationError }));
      addPlugin(maxAliasesPlugin({ n: options.maxAliases, ...asValidationError }));
      addPlugin(maxDirectivesPlugin({ n: options.maxDirectives, ...asValidationError }));
      if (options.blockSuggestions) addPlugin(blockFieldSuggestionsPlugin());
    },
  };
}

/**
 * The deepest bracket nesting in a document, strings and comments skipped. graphql-js parses
 * recursively, so about a thousand nested braces (a 30 KB document, under any token limit)
 * overflowed the stack before the depth rule could run: this refuses such a document first.
 */
function nesting(source: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '"') {
      for (i++; i < source.length && source[i] !== '"'; i++) if (source[i] === '\\') i++;
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '{' || c === '(' || c === '[') {
      if (++depth > max) max = depth;
    } else if (c === '}' || c === ')' || c === ']') depth--;
  }
  return max;
}
