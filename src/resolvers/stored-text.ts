import type { StoredTextRecord } from '../domain/evaluation.ts';
import { BadUserInputError } from '../errors.ts';
import type { StrataContext } from '../context.ts';

export interface StoredTextSource {
  evaluationId: string;
  which: 'output' | 'error';
  record: StoredTextRecord;
}

/** Cuts at `end`, moved back by one when it would split a surrogate pair. */
export function safeSlice(text: string, start: number, end: number): string {
  const fix = (i: number) => (i > 0 && i < text.length && /[\uD800-\uDBFF]/.test(text[i - 1]!) ? i - 1 : i);
  return text.slice(fix(start), fix(end));
}

export function fullText(source: StoredTextSource): string {
  return source.record.data.toString('utf8');
}

export function preview(source: StoredTextSource, ctx: StrataContext): string {
  return safeSlice(fullText(source), 0, ctx.config.limits.previewSize);
}

export function textSlice(source: StoredTextSource, ctx: StrataContext, offset: number, length: number | null | undefined): string {
  const max = ctx.config.limits.maxTextSlice;
  if (offset < 0) throw new BadUserInputError(`offset must be 0 or more (got ${offset}).`, { field: 'offset' });
  if (length != null && (length < 0 || length > max)) {
    throw new BadUserInputError(`length must be between 0 and ${max} (got ${length}); read larger texts in slices or from downloadUrl.`, {
      field: 'length',
      limit: max,
    });
  }
  return safeSlice(fullText(source), offset, offset + (length ?? max));
}

export function downloadUrl(source: StoredTextSource, ctx: StrataContext): string {
  return `${ctx.config.publicUrl}/evaluations/${encodeURIComponent(source.evaluationId)}/${source.which}`;
}
