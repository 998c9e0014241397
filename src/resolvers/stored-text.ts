import type { StrataContext } from '../context.ts';
import type { StoredTextRecord } from '../domain/evaluation.ts';
import { BadUserInputError } from '../errors.ts';

export interface StoredTextSource {
  evaluationId: string;
  which: 'output' | 'error';
  record: StoredTextRecord;
}

export const preview = (source: StoredTextSource, ctx: StrataContext): Promise<string> => ctx.registry.texts.preview(source.record);

export const truncated = (source: StoredTextSource, ctx: StrataContext): Promise<boolean> => ctx.registry.texts.truncated(source.record);

/** A slice in characters, bounded by MAX_TEXT_SLICE; blob-held texts are read by range, never whole. */
export async function textSlice(source: StoredTextSource, ctx: StrataContext, offset: number, length: number | null | undefined): Promise<string> {
  const max = ctx.config.limits.maxTextSlice;
  if (offset < 0) throw new BadUserInputError(`offset must be 0 or more (got ${offset}).`, { field: 'offset' });
  if (length != null && (length < 0 || length > max)) {
    throw new BadUserInputError(`length must be between 0 and ${max} (got ${length}); read larger texts in slices or from downloadUrl.`, {
      field: 'length',
      limit: max,
    });
  }
  return ctx.registry.texts.slice(source.record, offset, length ?? max);
}

export function downloadUrl(source: StoredTextSource, ctx: StrataContext): string {
  return `${ctx.config.publicUrl}/evaluations/${encodeURIComponent(source.evaluationId)}/${source.which}`;
}
