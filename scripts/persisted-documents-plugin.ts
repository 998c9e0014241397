import { createHash } from 'node:crypto';
import { Kind, print, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

/**
 * A GraphQL Code Generator plugin that writes the persisted-operations manifest: for every
 * operation in the project's documents, the sha256 (hex) of its printed text, with the fragments
 * it uses, -> that text. With PERSISTED_OPERATIONS_ONLY=true the gateway runs only these, and a
 * client sends `extensions: { persistedQuery: { version: 1, sha256Hash } }` instead of the query.
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

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const plugin = (_schema: unknown, documents: { document?: DocumentNode }[]): string => {
  const texts = operationsOf(documents.flatMap((d) => (d.document ? [d.document] : [])));
  const manifest = Object.fromEntries(texts.map((text) => [sha256(text), text]).sort(([a], [b]) => a!.localeCompare(b!)));
  return `${JSON.stringify(manifest, null, 2)}\n`;
};
