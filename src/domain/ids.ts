import { createHash, randomBytes } from 'node:crypto';
import { BadUserInputError } from '../errors.ts';

/**
 * Ids are used in SQL (bound), in Redis keys and later in file paths, so they are restricted to a
 * safe alphabet: this is what makes a path traversal through an id impossible.
 */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function checkId(field: string, id: string): string {
  if (!ID_PATTERN.test(id) || id.includes('..')) {
    throw new BadUserInputError(
      `${field} must be 1-128 characters of letters, digits, "_", "-", "." or ":", starting with a letter or digit (got ${JSON.stringify(id.slice(0, 40))}).`,
      { field },
    );
  }
  return id;
}

/** `eval_YYYYMMDD_HHMMSS_<random>`, as the platform names evaluations (seed 004). */
export function generateEvaluationId(now = new Date()): string {
  const iso = now.toISOString(); // 2024-07-01T12:00:00.000Z
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  return `eval_${date}_${time}_${randomBytes(5).toString('hex')}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
