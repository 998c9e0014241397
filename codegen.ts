import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { schema } from './src/schema/index.ts';

/**
 * GraphQL Code Generator: writes the printed schema (schema.graphql, the reviewable contract) and
 * typed documents for the operations in test/documents. Both are committed; `npm test` fails when
 * they no longer match the Pothos schema (scripts/codegen-check.ts). Regenerate: `npm run codegen`.
 */
const config: CodegenConfig = {
  schema: printSchema(schema),
  documents: 'test/documents/*.graphql',
  generates: {
    'schema.graphql': { plugins: ['schema-ast'], config: { includeDirectives: false } },
    'test/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false },
        useTypeImports: true,
      },
    },
  },
  hooks: {},
};

export default config;
