import { Kind, type DocumentNode, type FieldNode, type GraphQLError, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** The root fields of a mutation, through inline fragments and fragment spreads, with their response keys. */
export function mutationFields(operation: OperationDefinitionNode, document: DocumentNode): { node: FieldNode; responseKey: string }[] {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const found: { node: FieldNode; responseKey: string }[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode, depth: number) => {
    if (depth > 10) return;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const responseKey = s.alias?.value ?? s.name.value;
        if (s.name.value.startsWith('__') || seen.has(responseKey)) continue;
        seen.add(responseKey);
        found.push({ node: s, responseKey });
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, depth + 1);
      else {
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet, depth + 1);
      }
    }
  };
  walk(operation.selectionSet, 0);
  return found;
}

const ID_ARG = /^(id|key|name|from|to|[a-z]+Id)$/;

/** String arguments that name what a mutation acts on: `id`, `…Id`, `key`, `name`, `from`, `to`, also inside an `input` object. */
export function targetIdsOf(args: Record<string, unknown>): string[] {
  const ids: string[] = [];
  const collect = (obj: Record<string, unknown>, depth: number) => {
    for (const [name, value] of Object.entries(obj)) {
      if (typeof value === 'string' && ID_ARG.test(name)) ids.push(value.slice(0, 256));
      else if (depth === 0 && value && typeof value === 'object' && !Array.isArray(value) && name === 'input') collect(value as Record<string, unknown>, 1);
    }
  };
  collect(args, 0);
  return ids;
}

/** `ok`, or the code of the first error under this response key (or of an error outside any field). */
export function outcomeOf(errors: readonly GraphQLError[] | undefined, responseKey: string): string {
  const error = errors?.find((e) => !e.path || e.path[0] === responseKey);
  if (!error) return 'ok';
  const code = error.extensions?.['code'];
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}
