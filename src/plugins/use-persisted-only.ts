import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export interface PersistedOnlyOptions {
  /** sha256 (hex) of each document -> its text: the manifest codegen writes (persisted-documents.json). */
  manifest: Readonly<Record<string, string>>;
}

const HOW = 'send `extensions: { persistedQuery: { version: 1, sha256Hash } }` with the sha256 of an operation in persisted-documents.json (written by `npm run codegen`)';

const refusal = (message: string, code: string) => ({ message, extensions: { code, http: { status: 400 } } });

/**
 * PERSISTED_OPERATIONS_ONLY: only the operations of the manifest run.
 *
 * Over HTTP, yoga's persisted-operations plugin swaps a hash for its text and refuses query text,
 * with our messages and codes instead of its bare "PersistedQueryOnly". That plugin works on
 * yoga's request parameters, which a WebSocket operation never has (graphql-ws hands its text
 * straight to envelop's parse), so a second check in `onParse`, on every transport, lets a
 * document through only if its text is one of the manifest's, byte for byte. Over WebSocket,
 * where graphql-ws always sends text, that is how a persisted operation is sent.
 */
export function usePersistedOnly({ manifest }: PersistedOnlyOptions): Plugin {
  const texts = new Set(Object.values(manifest));
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(
        usePersistedOperations({
          getPersistedOperation: (hash) => manifest[hash] ?? null,
          allowArbitraryOperations: false,
          customErrors: {
            persistedQueryOnly: refusal(`This gateway runs only persisted operations (PERSISTED_OPERATIONS_ONLY=true), not query text: ${HOW}.`, 'PERSISTED_QUERY_ONLY'),
            notFound: refusal(`No persisted operation has this sha256Hash: ${HOW}. Regenerate the manifest if your documents changed.`, 'PERSISTED_QUERY_NOT_IN_LIST'),
            keyNotFound: refusal(`The request names no operation: ${HOW}.`, 'PERSISTED_QUERY_ID_REQUIRED'),
          },
        }),
      );
    },
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      if (!texts.has(source)) {
        const { message, extensions } = refusal(`This gateway runs only persisted operations (PERSISTED_OPERATIONS_ONLY=true); this document is not in its manifest. Over HTTP ${HOW}; over WebSocket send the manifest's text exactly.`, 'PERSISTED_QUERY_ONLY');
        throw createGraphQLError(message, { extensions });
      }
    },
  };
}
