import SchemaBuilder from '@pothos/core';
import type { StrataContext } from '../context.ts';

/** The one schema builder. It sets up types for context and scalars, and defines no types itself. */
export const builder = new SchemaBuilder<{
  Context: StrataContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({ defaultFieldNullability: false });

builder.queryType({});
builder.mutationType({});
