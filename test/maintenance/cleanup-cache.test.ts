import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testConfig } from '../../src/config.ts';
import { cleanupCommand } from '../../src/maintenance/commands.ts';
import { createTestApp, silentLogger } from '../support/app.ts';
import { dataOf } from '../support/assert.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { deleteKeysUnder, redisUnavailable, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';

const skip = (await postgresUnavailable()) ?? (await redisUnavailable()) ?? false;

/**
 * `strata cleanup` runs in a process of its own while gateways serve from the shared Redis cache:
 * an evaluation it removed must not be served from the cache afterwards (found with the
 * many-replica work of issue 9: cleanup deleted rows without dropping their cached copies).
 */
describe('strata cleanup and the shared evaluation cache', { skip }, () => {
  it('a removed evaluation is gone for a gateway that had it cached', async () => {
    const keyPrefix = testKeyPrefix();
    const app = await createTestApp('postgres', { platform: { ...testConfig().platform, redisUrl: TEST_REDIS_URL, keyPrefix }, cache: { ...testConfig().cache, enabled: true } });
    try {
      const { createEvaluation } = await dataOf<any>(app.gql('mutation { createEvaluation(input: { code: "print(1)" }) { id } }'));
      const id = createEvaluation.id as string;
      await dataOf<any>(app.gql('mutation($id: ID!) { updateEvaluation(id: $id, input: { status: CANCELLED }) { status } }', { id }));
      const read = () => dataOf<any>(app.gql('query($id: ID!) { evaluation(id: $id) { id status } }', { id }));
      assert.deepEqual((await read()).evaluation, { id, status: 'CANCELLED' });
      assert.deepEqual((await read()).evaluation, { id, status: 'CANCELLED' }, 'served from the cache now');

      // The command, as `strata cleanup --older-than 0s` runs it: its own registry on the same config.
      const log = console.log;
      console.log = () => {};
      try {
        await cleanupCommand(app.config, silentLogger, ['--older-than', '0s']);
      } finally {
        console.log = log;
      }
      assert.equal((await read()).evaluation, null);
    } finally {
      await app.close();
      await deleteKeysUnder(keyPrefix);
    }
  });
});
