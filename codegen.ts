import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import * as persistedDocuments from './scripts/persisted-documents-plugin.ts';
import { schema } from './src/schema/index.ts';

/**
 * GraphQL Code Generator: writes the printed schema (schema.graphql, the reviewable contract),
 * typed documents for the operations in test/documents, and the typed documents of strata/client
 * and the Storage Explorer (src/client/documents). All are committed; `npm test` fails when they
 * no longer match the Pothos schema (scripts/codegen-check.ts). Regenerate: `npm run codegen`.
 * persisted-documents.json is the manifest for PERSISTED_OPERATIONS_ONLY: every operation the
 * project's own clients send (tests, REST routes, strata/client and the explorer, subscriptions
 * included), so all of them keep working in that mode.
 */
// Each target names its documents: codegen would add root-level documents to every target. Every
// operation name is unique across all of them (the client's are Worker*, Explorer*, On*; the REST
// routes' Rest*), which codegen checks for the manifest, where they meet.
const TEST_DOCUMENTS = ['test/documents/*.graphql', 'src/rest/operations.graphql'];
const CLIENT_DOCUMENTS = 'src/client/documents/*.graphql';

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
    'persisted-documents.json': { documents: [...TEST_DOCUMENTS, CLIENT_DOCUMENTS], plugins: ['persisted-documents'] },
    'test/generated/graphql.ts': { documents: TEST_DOCUMENTS, plugins: ['typescript-operations', 'typed-document-node'], config: TYPED },
    // Strings, not ASTs: the browser bundle then needs no graphql-js to send them. Each operation
    // carries its manifest hash (`__meta__.hash`), so the client can send the hash instead of the
    // text (persistedOperations: true) without hashing anything at run time.
    'src/client/generated.ts': {
      documents: CLIENT_DOCUMENTS,
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { ...TYPED, documentMode: 'string', unstable_onExecutableDocumentNode: persistedDocuments.hashOf },
    },
  },
  hooks: {},
  // The manifest plugin is this project's own file, loaded from here rather than by package name.
  pluginLoader: (name: string) => (name === 'persisted-documents' ? Promise.resolve(persistedDocuments) : import(name)),
};

export default config;
