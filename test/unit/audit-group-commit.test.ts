import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAuditLog } from '../../src/backends/audit.ts';
import type { AuditStore, NewAuditRecord } from '../../src/backends/audit-types.ts';

const entry = (operation: string): NewAuditRecord => ({ keyName: 'k', operation, targetIds: [], at: new Date(), outcome: 'ok', requestId: operation });

/** A store whose appends finish only when the test says so, recording what each was given. */
function heldStore() {
  const appends: { ops: string[]; finish: (err?: Error) => void }[] = [];
  const store: AuditStore = {
    append: (records) =>
      new Promise<void>((resolve, reject) => {
        appends.push({ ops: records.map((r) => r.operation), finish: (err) => (err ? reject(err) : resolve()) });
      }),
    list: async () => [],
  };
  return { store, appends };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('audit log group commit', () => {
  it('writes one record at once, and the records that arrive during an INSERT in the next one', async () => {
    const { store, appends } = heldStore();
    const log = createAuditLog(store);
    const settled: string[] = [];
    const record = (op: string) => log.record(entry(op)).then(() => settled.push(op));

    const first = record('a');
    await tick();
    assert.deepEqual(appends.map((a) => a.ops), [['a']], 'alone, a record is written at once');
    const later = [record('b'), record('c')];
    await tick();
    record('d');
    await tick();
    assert.equal(appends.length, 1, 'nothing else is written while the first INSERT runs');
    assert.deepEqual(settled, [], 'no record is acknowledged before it is stored');

    appends[0]!.finish();
    await first;
    await tick();
    assert.deepEqual(appends.map((a) => a.ops), [['a'], ['b', 'c', 'd']], 'what waited goes in one INSERT');
    assert.deepEqual(settled, ['a']);
    appends[1]!.finish();
    await Promise.all(later);
    assert.deepEqual(settled.sort(), ['a', 'b', 'c', 'd']);
  });

  it('fails the records of a failed INSERT only, and carries on with the next', async () => {
    const { store, appends } = heldStore();
    const log = createAuditLog(store);
    const first = log.record(entry('a'));
    await tick();
    const second = log.record(entry('b'));
    await tick();
    appends[0]!.finish(new Error('database gone'));
    await assert.rejects(first, /database gone/);
    await tick();
    assert.deepEqual(appends.map((a) => a.ops), [['a'], ['b']]);
    appends[1]!.finish();
    await second;
  });
});
