import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { StartupError } from '../errors.ts';

export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** One configured key. Only the sha256 of its secret is kept, never the secret itself. */
export interface ApiKey {
  name: string;
  hash: Buffer;
  scopes: ReadonlySet<Scope>;
}

/**
 * Why sha256 and not scrypt or bcrypt: those are for passwords, which have little entropy and must
 * be slow to guess. An API key is a random secret (at least MIN_SECRET_LENGTH characters, e.g. the
 * 43 of `openssl rand -base64 32`), so guessing from its sha256 is as hopeless as guessing the key,
 * and a fast hash lets every request be checked in microseconds instead of tens of milliseconds.
 */
export const MIN_SECRET_LENGTH = 24;

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Parses `name:secret:scopes` entries (comma-separated, scopes joined by `+`). With `hashed`, the
 * middle part is the hex sha256 of the secret (the STRATA_API_KEYS_FILE format, one or more
 * entries per line, `#` starts a comment). `source` names the variable in error messages.
 */
export function parseApiKeys(text: string, source: string, hashed: boolean): ApiKey[] {
  const entries = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter(Boolean);
  const keys = entries.map((entry, i) => parseEntry(entry, `${source} entry ${i + 1}`, hashed));
  const names = new Set<string>();
  for (const key of keys) {
    if (names.has(key.name)) throw new StartupError(`${source}: the key name "${key.name}" appears twice; names identify keys in the audit log.`);
    names.add(key.name);
  }
  return keys;
}

function parseEntry(entry: string, where: string, hashed: boolean): ApiKey {
  const parts = entry.split(':');
  if (parts.length !== 3) throw new StartupError(`${where}: expected name:${hashed ? 'sha256hex' : 'secret'}:scopes.`);
  const [name, secret, scopeText] = parts as [string, string, string];
  if (!NAME.test(name)) throw new StartupError(`${where}: the name must be 1-64 letters, digits, ".", "_" or "-".`);
  if (hashed && !HEX_SHA256.test(secret)) {
    throw new StartupError(`${where} ("${name}"): the secret must be its sha256 in lower-case hex (64 characters); make one with \`printf %s "$SECRET" | sha256sum\`.`);
  }
  if (!hashed && secret.length < MIN_SECRET_LENGTH) {
    throw new StartupError(`${where} ("${name}"): the secret is shorter than ${MIN_SECRET_LENGTH} characters; use a random one, e.g. \`openssl rand -base64 32\`.`);
  }
  const scopes = scopeText.split('+').map((s) => s.trim());
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || scopes.length === 0) {
    throw new StartupError(`${where} ("${name}"): unknown scope ${JSON.stringify(unknown[0] ?? '')}; scopes are ${SCOPES.join(', ')}, joined by "+".`);
  }
  return { name, hash: hashed ? Buffer.from(secret, 'hex') : hashSecret(secret), scopes: new Set(scopes as Scope[]) };
}

/** Keys from STRATA_API_KEYS (plain secrets) and STRATA_API_KEYS_FILE (hashed secrets), together. */
export function loadApiKeys(inline: string | undefined, file: string | undefined): ApiKey[] {
  const keys = inline ? parseApiKeys(inline, 'STRATA_API_KEYS', false) : [];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new StartupError(`Cannot read STRATA_API_KEYS_FILE=${file}: ${(cause as Error).message}.`, { cause });
    }
    keys.push(...parseApiKeys(text, `STRATA_API_KEYS_FILE (${file})`, true));
  }
  const names = keys.map((k) => k.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new StartupError(`The key name "${twice}" is in both STRATA_API_KEYS and STRATA_API_KEYS_FILE.`);
  return keys;
}

/**
 * The key whose secret this is, or null. Every configured hash is compared, with
 * `timingSafeEqual` and without stopping at a match, so the time taken says nothing about which
 * key (or how much of one) matched.
 */
export function findKey(keys: readonly ApiKey[], secret: string): ApiKey | null {
  const presented = hashSecret(secret);
  let found: ApiKey | null = null;
  for (const key of keys) if (timingSafeEqual(key.hash, presented) && !found) found = key;
  return found;
}
