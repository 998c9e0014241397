/** API keys for tests: one per scope, and the STRATA_API_KEYS value that configures them. */
export const KEYS = {
  read: 'read-key-0123456789abcdef0123',
  write: 'write-key-0123456789abcdef012',
  admin: 'admin-key-0123456789abcdef012',
  worker: 'worker-key-0123456789abcdef01',
} as const;

export const API_KEYS_ENV = `dashboard:${KEYS.read}:read,ci:${KEYS.write}:write,ops:${KEYS.admin}:admin,worker:${KEYS.worker}:read+write`;

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

/**
 * TEST_WITH_API_KEYS=1 runs the API suites with keys configured and an admin key on every
 * request (`TEST_WITH_API_KEYS=1 npm test -- test/api`): every rule must hold with auth on, too.
 */
export const withKeys = process.env['TEST_WITH_API_KEYS'] === '1';
