import { createHash } from 'node:crypto';
import { Kind, print, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

/**
 * The texts of persisted operations, as PERSISTED_OPERATIONS_ONLY knows them: every operation of
 * `documents`, printed by graphql-js with the fragments it uses (sorted by name) after it. The
 * codegen plugin (scripts/persisted-documents-plugin.ts) writes persisted-documents.json from
 * these, and the REST routes (src/rest/documents.ts) and strata/client's generated documents
 * (their `__meta__.hash`) take their hashes from them, so all agree on one text, and one sha256,
 * per operation.
 * It lives in src/ because the gateway needs it at run time and its image copies only src/.
 */
export function operationsOf(documents: readonly DocumentNode[]): string[] {
  const definitions = documents.flatMap((d) => d.definitions);
  const fragments = new Map(definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const withFragments = (root: DefinitionNode): DefinitionNode[] => {
    const used = new Map<string, FragmentDefinitionNode>();
    const collect = (node: DefinitionNode) =>
      visit(node, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !used.has(fragment.name.value)) {
            used.set(fragment.name.value, fragment);
            collect(fragment);
          }
        },
      });
    collect(root);
    return [root, ...[...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value))];
  };
  return definitions
    .filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((op) => print({ kind: Kind.DOCUMENT, definitions: withFragments(op) }));
}

/** The manifest's key for a text: sha256, lower-case hex (what `extensions.persistedQuery.sha256Hash` carries). */
export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** sha256 -> text for every operation of `documents`, sorted by hash so the file diffs cleanly. */
export function manifestOf(documents: readonly DocumentNode[]): Record<string, string> {
  const texts = operationsOf(documents);
  return Object.fromEntries(texts.map((text) => [sha256(text), text]).sort(([a], [b]) => a!.localeCompare(b!)));
}
