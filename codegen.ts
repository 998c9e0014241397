import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import * as persistedDocuments from './scripts/persisted-documents-plugin.ts';
import { schema } from './src/schema/index.ts';

/**
 * GraphQL Code Generator: writes the printed schema (schema.graphql, the reviewable contract) and
 * typed documents for the operations in test/documents. Both are committed; `npm test` fails when
 * they no longer match the Pothos schema (scripts/codegen-check.ts). Regenerate: `npm run codegen`.
 * persisted-documents.json is the manifest of those operations for PERSISTED_OPERATIONS_ONLY.
 */
const config: CodegenConfig = {
  schema: printSchema(schema),
  // The REST routes' operations (src/rest) are in the manifest too, so REST works in persisted-only mode.
  documents: ['test/documents/*.graphql', 'src/rest/operations.graphql'],
  generates: {
    'schema.graphql': { plugins: ['schema-ast'], config: { includeDirectives: false } },
    'persisted-documents.json': { plugins: ['persisted-documents'] },
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
  // The manifest plugin is this project's own file, loaded from here rather than by package name.
  pluginLoader: (name: string) => (name === 'persisted-documents' ? Promise.resolve(persistedDocuments) : import(name)),
};

export default config;
