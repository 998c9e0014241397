import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import * as persistedDocuments from './scripts/persisted-documents-plugin.ts';
import { schema } from './src/schema/index.ts';

/**
 * GraphQL Code Generator: writes the printed schema (schema.graphql, the reviewable contract),
 * typed documents for the operations in test/documents, and the typed documents of strata/client
 * and the Storage Explorer (src/client/documents). All are committed; `npm test` fails when they
 * no longer match the Pothos schema (scripts/codegen-check.ts). Regenerate: `npm run codegen`.
 * persisted-documents.json is the manifest of the test and REST operations for
 * PERSISTED_OPERATIONS_ONLY.
 */
// Each target names its documents: codegen would add root-level documents to every target, and
// the client's operations (AppendLogs, MarkRunning, ...) share names with the test documents.
// The REST routes' operations (src/rest) are in the manifest too, so REST works in persisted-only mode.
const SERVER_DOCUMENTS = ['test/documents/*.graphql', 'src/rest/operations.graphql'];

const TYPED = {
  scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
  enumsAsTypes: true,
  avoidOptionals: { field: true, inputValue: false },
  useTypeImports: true,
};

const config: CodegenConfig = {
  schema: printSchema(schema),
  generates: {
    'schema.graphql': { plugins: ['schema-ast'], config: { includeDirectives: false } },
    'persisted-documents.json': { documents: SERVER_DOCUMENTS, plugins: ['persisted-documents'] },
    'test/generated/graphql.ts': { documents: SERVER_DOCUMENTS, plugins: ['typescript-operations', 'typed-document-node'], config: TYPED },
    // Strings, not ASTs: the browser bundle then needs no graphql-js to send them.
    'src/client/generated.ts': {
      documents: 'src/client/documents/*.graphql',
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { ...TYPED, documentMode: 'string' },
    },
  },
  hooks: {},
  // The manifest plugin is this project's own file, loaded from here rather than by package name.
  pluginLoader: (name: string) => (name === 'persisted-documents' ? Promise.resolve(persistedDocuments) : import(name)),
};

export default config;
