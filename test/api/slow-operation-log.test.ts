import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { capturingLogger, createTestApp, type TestApp } from '../support/app.ts';

/** A gateway whose log lines are kept, and whose evaluation count waits for the test to let it go. */
async function gatedApp(slowOperationMs: number) {
  const { logger, lines } = capturingLogger('warn');
  const app = await createTestApp('memory', {}, logger, { SLOW_OPERATION_MS: String(slowOperationMs) });
  let release = () => {};
  let entered = () => {};
  const count = app.registry.evaluations.count.bind(app.registry.evaluations);
  app.registry.evaluations.count = async (filter) => {
    entered();
    await new Promise<void>((resolve) => (release = resolve));
    return count(filter);
  };
  /** Runs `query Slow` and holds it in the store until at least `heldMs` have passed. */
  const slowQuery = async (requestId: string, heldMs: number) => {
    const inStore = new Promise<void>((resolve) => (entered = resolve));
    const answer = app.gql('query Slow { evaluations { totalCount } }', undefined, { 'x-request-id': requestId });
    await inStore;
    await sleep(heldMs); // a setTimeout never fires early: the operation surely took this long
    release();
    const { body } = await answer;
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  };
  const slowLines = () => lines.filter((l) => l.msg === 'slow operation');
  return { app, slowQuery, slowLines };
}

describe('slow-operation log (SLOW_OPERATION_MS)', () => {
  let low: Awaited<ReturnType<typeof gatedApp>>;
  let high: Awaited<ReturnType<typeof gatedApp>>;
  before(async () => {
    low = await gatedApp(1);
    high = await gatedApp(600_000);
  });
  after(async () => {
    await low.app.close();
    await high.app.close();
  });

  it('writes one warn line with the operation, its milliseconds and the request id when the threshold is passed', async () => {
    await low.slowQuery('slow-req-1', 5);
    const lines = low.slowLines();
    assert.equal(lines.length, 1, JSON.stringify(lines));
    const [line] = lines;
    assert.deepEqual([line!.level, line!.operation, line!.type, line!.requestId, line!.errors], [40, 'Slow', 'query', 'slow-req-1', 0]);
    assert.ok(Number.isInteger(line!.ms) && line!.ms >= 1, `ms is a whole number at or above the threshold: ${line!.ms}`);
    assert.equal(line!.variables, undefined, 'variables are never logged');
  });

  it('writes nothing for an operation under the threshold', async () => {
    await high.slowQuery('slow-req-2', 5);
    assert.deepEqual(high.slowLines(), []);
  });
});
