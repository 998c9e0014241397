import { ErrorCode } from '../errors.ts';
import { RestRequestError } from './errors.ts';

/**
 * The JSON object a write route was sent, read with at most `maxBytes` in memory (MAX_REQUEST_BYTES,
 * the limit of POST /graphql): a larger body is 413 before it is read whole; a body that is not a
 * JSON object is 400 and nothing runs.
 */
export async function readJsonObject(request: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new RestRequestError('This route needs a JSON object body (Content-Type: application/json).');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RestRequestError(`The body is not valid JSON: ${(err as Error).message}.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RestRequestError(`The body must be a JSON object, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}.`);
  }
  if (depthOver(value, MAX_DEPTH)) throw new RestRequestError(`The body is nested more than ${MAX_DEPTH} levels deep.`, 422);
  return value as Record<string, unknown>;
}

/**
 * Far above what any field accepts (metadata: 64 levels), low enough that handing the body on to
 * GraphQL (JSON.stringify, recursive) cannot exhaust the stack. JSON.parse itself is not recursive.
 */
const MAX_DEPTH = 256;

/** Checked with an explicit stack: a recursive walk would overflow on exactly the bodies it is for. */
function depthOver(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

const tooLarge = (maxBytes: number) => new RestRequestError(`The body is larger than ${maxBytes} bytes, the limit (MAX_REQUEST_BYTES).`, 413, ErrorCode.PayloadTooLarge);
