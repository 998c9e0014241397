import superjson from 'superjson';
import { checkJsonValue } from './json-value.ts';

/**
 * How KV values become the strings the backends store. GraphQL always uses JSON; a library caller
 * may choose superjson, which round-trips Date, Map, Set, BigInt, RegExp and undefined (the
 * counterpart of seed 003's pickle option, without pickle's code execution on load). Values
 * written with one serializer should be read with the same one: superjson's output is JSON with
 * a {json, meta} envelope, so a JSON reader sees the envelope.
 */
export interface KvSerializer {
  readonly name: string;
  /** Throws a BAD_USER_INPUT error naming `field` when the value cannot be stored faithfully. */
  stringify(field: string, value: unknown): string;
  parse(text: string): unknown;
}

export const jsonSerializer: KvSerializer = {
  name: 'json',
  stringify: (field, value) => JSON.stringify(checkJsonValue(field, value)),
  parse: (text) => JSON.parse(text),
};

export const superjsonSerializer: KvSerializer = {
  name: 'superjson',
  stringify: (_field, value) => superjson.stringify(value),
  parse: (text) => superjson.parse(text),
};

export type SerializerChoice = 'json' | 'superjson' | KvSerializer;

export function serializerFor(choice: SerializerChoice): KvSerializer {
  if (choice === 'json') return jsonSerializer;
  if (choice === 'superjson') return superjsonSerializer;
  return choice;
}
