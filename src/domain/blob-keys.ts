import { randomBytes } from 'node:crypto';
import { BadUserInputError } from '../errors.ts';
import { checkId } from './ids.ts';

/**
 * Blob keys, laid out by evaluation id as seed 004's file layout:
 *
 *   evaluations/<evaluation id>/output.<token>.txt
 *   evaluations/<evaluation id>/error.<token>.txt
 *   evaluations/<evaluation id>/metadata.json        (file backend: what the directory holds)
 *
 * Every write gets a fresh token instead of overwriting output.txt: a row names the exact blob it
 * was committed with, so replacing a text can never change or remove the bytes a committed row
 * points at (the old blob becomes an orphan that `strata cleanup` collects).
 *
 * Keys are built from validated ids only, and every backend checks a key again with `checkBlobKey`
 * before touching anything: an id or key that could climb out of the root ("..", "/", "\", NUL,
 * absolute paths) is a BAD_USER_INPUT error and nothing is written.
 */
export type TextKind = 'output' | 'error';

export const BLOB_PREFIX = 'evaluations/';
const ID = '[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}';
const KEY = new RegExp(`^evaluations/(${ID})/((?:output|error)\\.[a-z0-9]{8,40}\\.txt|metadata\\.json)$`);

export interface ParsedBlobKey {
  evaluationId: string;
  /** The file name inside the evaluation's directory. */
  name: string;
  /** output or error; null for metadata.json. */
  which: TextKind | null;
}

export function textBlobKey(evaluationId: string, which: TextKind): string {
  checkId('evaluationId', evaluationId);
  const token = `${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
  return `${BLOB_PREFIX}${evaluationId}/${which}.${token}.txt`;
}

export function metadataKey(evaluationId: string): string {
  return `${BLOB_PREFIX}${checkId('evaluationId', evaluationId)}/metadata.json`;
}

/** The key's parts, or a BAD_USER_INPUT error for anything that is not a key this module built. */
export function checkBlobKey(key: string): ParsedBlobKey {
  const match = KEY.exec(key);
  if (!match || match[1]!.includes('..')) {
    throw new BadUserInputError(
      `Blob key ${JSON.stringify(key.slice(0, 80))} is not valid: keys are evaluations/<id>/<output|error>.<token>.txt or metadata.json, with an id of letters, digits, "_", "-", "." or ":".`,
      { field: 'key' },
    );
  }
  const name = match[2]!;
  const which = name.startsWith('output.') ? 'output' : name.startsWith('error.') ? 'error' : null;
  return { evaluationId: match[1]!, name, which };
}

/** The directory prefix of one evaluation's blobs. */
export function evaluationPrefix(evaluationId: string): string {
  return `${BLOB_PREFIX}${checkId('evaluationId', evaluationId)}/`;
}

/** A list prefix: all blobs ("evaluations/") or one evaluation's ("evaluations/<id>/"). */
export function checkBlobPrefix(prefix: string): string {
  if (prefix === BLOB_PREFIX) return prefix;
  const id = prefix.startsWith(BLOB_PREFIX) && prefix.endsWith('/') ? prefix.slice(BLOB_PREFIX.length, -1) : '';
  return evaluationPrefix(id);
}
