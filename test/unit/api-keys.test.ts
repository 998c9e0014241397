import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import { findKey, hashSecret, loadApiKeys, parseApiKeys } from '../../src/auth/api-keys.ts';
import { authenticate, credentialOf, hasScope, OPEN_CALLER } from '../../src/auth/caller.ts';
import { loadConfig } from '../../src/config.ts';
import { checkExposure } from '../../src/server.ts';
import { capturingLogger } from '../support/app.ts';

const R = 'r'.repeat(24);
const W = 'w'.repeat(30);

describe('API keys', () => {
  it('parses name:secret:scopes entries and keeps only the sha256 of each secret', () => {
    const keys = parseApiKeys(`dash:${R}:read, worker:${W}:read+write`, 'STRATA_API_KEYS', false);
    assert.deepEqual(keys.map((k) => [k.name, [...k.scopes]]), [['dash', ['read']], ['worker', ['read', 'write']]]);
    assert.deepEqual(keys[0]!.hash, hashSecret(R));
    assert.ok(!JSON.stringify(keys).includes(R), 'the secret itself is not kept');
  });

  it('reads hashed secrets from STRATA_API_KEYS_FILE, with comments and one entry per line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-keys-'));
    try {
      const file = join(dir, 'keys');
      writeFileSync(file, `# ops keys\nops:${hashSecret('a'.repeat(40)).toString('hex')}:admin\n\nci:${hashSecret('c'.repeat(40)).toString('hex')}:write # deploys\n`);
      const keys = loadApiKeys(`dash:${R}:read`, file);
      assert.deepEqual(keys.map((k) => k.name), ['dash', 'ops', 'ci']);
      assert.equal(findKey(keys, 'a'.repeat(40))?.name, 'ops');
      assert.throws(() => loadApiKeys(undefined, join(dir, 'missing')), /Cannot read STRATA_API_KEYS_FILE=/);
      writeFileSync(file, `x:${'a'.repeat(24)}:read\n`);
      assert.throws(() => loadApiKeys(undefined, file), /sha256 in lower-case hex/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses malformed entries with a message naming the variable, the entry and the fix', () => {
    assert.throws(() => parseApiKeys('a:b', 'STRATA_API_KEYS', false), /STRATA_API_KEYS entry 1: expected name:secret:scopes/);
    assert.throws(() => parseApiKeys(`a:short:read`, 'STRATA_API_KEYS', false), /shorter than 24 characters/);
    assert.throws(() => parseApiKeys(`a:${R}:read+root`, 'STRATA_API_KEYS', false), /unknown scope "root"/);
    assert.throws(() => parseApiKeys(`a:${R}:read,a:${W}:write`, 'STRATA_API_KEYS', false), /"a" appears twice/);
    assert.throws(() => parseApiKeys(`a b:${R}:read`, 'STRATA_API_KEYS', false), /name must be/);
    assert.throws(() => loadConfig({ STRATA_API_KEYS: 'x:y' }), /StartupError: STRATA_API_KEYS entry 1/);
  });

  it('authenticates a Bearer header or a bare key; no credential is anonymous, a wrong one an error', () => {
    const keys = parseApiKeys(`dash:${R}:read,ops:${W}:admin`, 'STRATA_API_KEYS', false);
    assert.equal(authenticate(keys, `Bearer ${R}`).keyName, 'dash');
    assert.equal(authenticate(keys, `bearer   ${W} `).keyName, 'ops');
    assert.equal(authenticate(keys, W).keyName, 'ops');
    const anonymous = authenticate(keys, null);
    assert.deepEqual([anonymous.authenticated, anonymous.scopes.size], [false, 0]);
    for (const wrong of [`Bearer ${R}x`, 'Bearer ', 'Basic dXNlcjpwYXNz', `Bearer ${R} extra`, R.slice(1)]) {
      assert.throws(() => authenticate(keys, wrong), (e: any) => e.extensions.code === 'UNAUTHENTICATED', wrong);
    }
    assert.equal(authenticate([], 'Bearer anything'), OPEN_CALLER, 'no keys configured: open');
  });

  it('lets admin do what read and write do, and keeps read and write apart', () => {
    const keys = parseApiKeys(`r:${R}:read,a:${W}:admin`, 'STRATA_API_KEYS', false);
    const reader = authenticate(keys, R);
    const admin = authenticate(keys, W);
    assert.deepEqual([hasScope(reader, 'read'), hasScope(reader, 'write'), hasScope(reader, 'admin')], [true, false, false]);
    assert.deepEqual([hasScope(admin, 'read'), hasScope(admin, 'write'), hasScope(admin, 'admin')], [true, true, true]);
  });

  it('takes the credential from WebSocket connectionParams before the request header', () => {
    const request = new Request('http://x/graphql', { headers: { authorization: 'Bearer from-header' } });
    assert.equal(credentialOf(request, { authorization: 'Bearer from-params' }), 'Bearer from-params');
    assert.equal(credentialOf(request, {}), 'Bearer from-header');
    assert.equal(credentialOf(undefined, { Authorization: 'k' }), 'k');
  });
});

describe('open mode', () => {
  const logger = pino({ level: 'silent' });
  it('runs open on loopback, refuses another address without keys unless STRATA_ALLOW_OPEN=true', () => {
    assert.doesNotThrow(() => checkExposure(loadConfig({ HOST: '127.0.0.1' }), logger));
    assert.doesNotThrow(() => checkExposure(loadConfig({ HOST: '::1' }), logger));
    assert.throws(() => checkExposure(loadConfig({ HOST: '0.0.0.0' }), logger), /HOST=0\.0\.0\.0 .*STRATA_API_KEYS or STRATA_API_KEYS_FILE.*STRATA_ALLOW_OPEN=true/);
    assert.doesNotThrow(() => checkExposure(loadConfig({ HOST: '0.0.0.0', STRATA_ALLOW_OPEN: 'true' }), logger));
    assert.doesNotThrow(() => checkExposure(loadConfig({ HOST: '0.0.0.0', STRATA_API_KEYS: `a:${R}:read` }), logger));
  });

  it('says at start, as a warning, that the gateway is OPEN without keys, and names the keys when there are some', () => {
    const said = (env: NodeJS.ProcessEnv) => {
      const { logger, lines } = capturingLogger('info');
      checkExposure(loadConfig(env), logger);
      return lines.map((l) => ({ level: pino.levels.labels[l.level], msg: l.msg, host: l.host, keys: l.keys }));
    };
    const open = 'No API keys configured (STRATA_API_KEYS, STRATA_API_KEYS_FILE): the gateway is OPEN; anyone who can reach';
    const [loopback] = said({ HOST: '127.0.0.1' });
    assert.deepEqual([loopback!.level, loopback!.host], ['warn', '127.0.0.1']);
    assert.equal(loopback!.msg, `${open} 127.0.0.1 may read and write everything.`);
    const [allowed, ...more] = said({ HOST: '0.0.0.0', STRATA_ALLOW_OPEN: 'true' });
    assert.deepEqual([allowed!.level, allowed!.msg, more], ['warn', `${open} 0.0.0.0 may read and write everything.`, []]);
    assert.deepEqual(said({ HOST: '0.0.0.0', STRATA_API_KEYS: `a:${R}:read,b:${W}:write` }), [{ level: 'info', msg: 'API keys required (2 configured)', host: undefined, keys: ['a', 'b'] }]);
  });
});
