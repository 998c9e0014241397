import { readFileSync } from 'node:fs';
import { parse, type OperationDefinitionNode } from 'graphql';
import { operationsOf, sha256 } from '../domain/persisted-operations.ts';

/** One named operation of operations.graphql: its text (with its fragments) and its manifest hash. */
export interface RestOperation {
  name: string;
  text: string;
  sha256: string;
}

const FILE = new URL('./operations.graphql', import.meta.url);

/**
 * The operations the REST routes run, by name. Printed as the persisted-documents manifest prints
 * them (src/domain/persisted-operations.ts), so each hash is the one in persisted-documents.json.
 */
export function loadRestOperations(): ReadonlyMap<string, RestOperation> {
  const texts = operationsOf([parse(readFileSync(FILE, 'utf8'))]);
  return new Map(
    texts.map((text) => {
      const name = (parse(text).definitions[0] as OperationDefinitionNode).name!.value;
      return [name, { name, text, sha256: sha256(text) }];
    }),
  );
}
