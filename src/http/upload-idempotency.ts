import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IdempotencyStore, StoredResponse } from '../backends/idempotency/index.ts';
import { BadUserInputError, ConflictError } from '../errors.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

export type UploadClaim = { run: true; complete(r: StoredResponse): Promise<void>; release(): Promise<void> } | { run: false; response: StoredResponse };

/**
 * `Idempotency-Key` on a streamed upload. The body is too large to hash before deciding, so the key
 * is claimed for the request's target (method, path, caller) and the body's sha256 is checked on a
 * retry instead: the retry's body is read and hashed, never stored, and only the same bytes get the
 * first answer back (another body with the key is a CONFLICT). One effect either way.
 */
export async function claimUpload(store: IdempotencyStore, request: Request, path: string, body: AsyncIterable<Uint8Array>, ttl: number, waitMs: number): Promise<UploadClaim | null> {
  const key = request.headers.get('idempotency-key');
  if (key === null) return null;
  if (!KEY.test(key)) throw new BadUserInputError('Idempotency-Key must be 1-255 visible ASCII characters (a UUID is a good choice).');
  const target = createHash('sha256').update(`PUT ${path}\n${request.headers.get('authorization') ?? ''}`).digest('hex');
  for (const deadline = Date.now() + waitMs; Date.now() < deadline; await sleep(50)) {
    const claim = await store.claim(key, target, ttl);
    if (claim.claimed) return { run: true, complete: (r) => store.complete(key, r), release: () => store.release(key) };
    if (claim.requestHash !== target) break;
    if (!claim.response) continue; // the first upload with this key is still running
    const hash = createHash('sha256');
    for await (const chunk of body) hash.update(chunk);
    if (JSON.parse(claim.response.body).sha256 !== hash.digest('hex')) break;
    return { run: false, response: claim.response };
  }
  throw new ConflictError(`Idempotency-Key ${JSON.stringify(key)} belongs to another request or is still running; use a new key for a new upload.`);
}
