import { UnauthenticatedError } from '../errors.ts';
import { findKey, SCOPES, type ApiKey, type Scope } from './api-keys.ts';

/** Who is asking: the key's name (null when the gateway runs open or no key was sent) and its scopes. */
export interface Caller {
  keyName: string | null;
  /** A key was presented and recognised. */
  authenticated: boolean;
  scopes: ReadonlySet<Scope>;
}

/** Without configured keys (open mode, loopback only) everyone may do everything. */
export const OPEN_CALLER: Caller = Object.freeze({ keyName: null, authenticated: false, scopes: new Set(SCOPES) });
const ANONYMOUS: Caller = Object.freeze({ keyName: null, authenticated: false, scopes: new Set<Scope>() });

/** `admin` includes `read` and `write`; `read` and `write` are independent. */
export function hasScope(caller: Caller, scope: Scope): boolean {
  return caller.scopes.has(scope) || caller.scopes.has('admin');
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The one authentication check, for every transport: the `Authorization` header of an HTTP or SSE
 * request, or the `authorization` field of a WebSocket's connectionParams (the same
 * `Bearer <key>` text, or the bare key). No credential gives an anonymous caller, whom the schema's
 * scope rules answer with UNAUTHENTICATED per field; a credential that matches no key fails the
 * whole request at once (UNAUTHENTICATED, HTTP 401), so a typo is never mistaken for anonymity.
 */
export function authenticate(keys: readonly ApiKey[], credential: string | null | undefined): Caller {
  if (keys.length === 0) return OPEN_CALLER;
  if (credential === null || credential === undefined || credential === '') return ANONYMOUS;
  const secret = BEARER.exec(credential)?.[1] ?? (credential.includes(' ') ? null : credential);
  const key = secret ? findKey(keys, secret) : null;
  if (!key) throw new UnauthenticatedError('The API key is not valid.');
  return { keyName: key.name, authenticated: true, scopes: key.scopes };
}

/** The credential a request or WebSocket connection carries, wherever it put it. */
export function credentialOf(request: Request | undefined, connectionParams?: Record<string, unknown>): string | null {
  const fromParams = connectionParams?.['authorization'] ?? connectionParams?.['Authorization'];
  if (typeof fromParams === 'string') return fromParams;
  return request?.headers.get('authorization') ?? null;
}
