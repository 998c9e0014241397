import type { ByteRange } from '../backends/blob-types.ts';

/**
 * A `Range: bytes=...` header (RFC 9110 §14.1.2) for a representation of `size` bytes: one range
 * as [start, end), 'unsatisfiable' (answer 416), or null to send the whole text (no header, a
 * unit other than bytes, or several ranges, which a server may answer with the full content).
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return null;
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    // A suffix: the last N bytes.
    const n = Number(last);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size };
  }
  const start = Number(first);
  const end = last === '' ? size : Math.min(size, Number(last) + 1);
  if (start >= size) return 'unsatisfiable';
  if (end <= start) return null; // last < first: syntactically invalid, so ignored
  return { start, end };
}

/** True when the client takes gzip: `Accept-Encoding` lists gzip (or *) without q=0. */
export function acceptsGzip(header: string | null): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)).find(Boolean);
    return !q || Number(q[1]) > 0;
  });
}
