import type { DocumentNode } from 'graphql';
import { manifestOf, operationsOf, sha256 } from '../src/domain/persisted-operations.ts';

/**
 * A GraphQL Code Generator plugin that writes the persisted-operations manifest: for every
 * operation in the project's documents, the sha256 (hex) of its printed text, with the fragments
 * it uses, -> that text (src/domain/persisted-operations.ts prints them). With
 * PERSISTED_OPERATIONS_ONLY=true the gateway runs only these, and a client sends
 * `extensions: { persistedQuery: { version: 1, sha256Hash } }` instead of the query.
 */
export const plugin = (_schema: unknown, documents: { document?: DocumentNode }[]): string =>
  `${JSON.stringify(manifestOf(documents.flatMap((d) => (d.document ? [d.document] : []))), null, 2)}\n`;

/**
 * typed-document-node's `unstable_onExecutableDocumentNode` hook: called with each operation and
 * its fragments, its answer becomes the generated document's `__meta__`. The hash is the
 * manifest's for the same operation, computed the same way.
 */
export const hashOf = (document: DocumentNode): { hash: string } => ({ hash: sha256(operationsOf([document])[0]!) });
