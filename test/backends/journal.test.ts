import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openFileJournal } from '../../src/backends/journal/file-journal.ts';
import { isUnreachable } from '../../src/backends/journal/unreachable.ts';
import { decodeEntry, encodeEntry, entry } from '../../src/backends/journal/entries.ts';

describe('fallback journal file', () => {
  it('keeps acknowledged entries across a reopen, ignores a torn last line, and drops replayed ones atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-journal-'));
    try {
      const path = join(dir, 'j', 'journal.jsonl');
      const first = await openFileJournal<{ n: number }>(path, (raw) => raw as { n: number });
      await Promise.all([1, 2, 3, 4].map((n) => first.append({ n })));
      await first.close();
      appendFileSync(path, '{"n": 5'); // a crash in the middle of an append that was never acknowledged
      const reopened = await openFileJournal<{ n: number }>(path, (raw) => raw as { n: number });
      assert.deepEqual(reopened.entries().map((e) => e.n).sort(), [1, 2, 3, 4]);
      const appending = reopened.append({ n: 6 });
      await reopened.dropFirst(2);
      await appending;
      assert.equal(reopened.size, 3, 'an append during the drop is kept');
      await reopened.close();
      const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l).n);
      assert.equal(lines.length, 3);
      assert.ok(lines.includes(6));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails over only on "the server is not there", never on a bad statement', () => {
    assert.equal(isUnreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })), true);
    assert.equal(isUnreachable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })), true);
    assert.equal(isUnreachable(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isUnreachable(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])), true);
    assert.equal(isUnreachable(Object.assign(new Error('duplicate key value'), { code: '23505' })), false);
    assert.equal(isUnreachable(Object.assign(new Error('syntax error'), { code: '42601' })), false);
  });

  it('keeps dates and bytes of a journaled update exact through the file', () => {
    const e = entry({
      op: 'update',
      id: 'e1',
      expectedStatus: 'RUNNING',
      patch: { status: 'COMPLETED', completedAt: new Date('2024-07-01T12:00:00.123Z'), output: { location: 'INLINE', size: 3, data: Buffer.from([0, 0xff, 0x61]), sha256: 'x', blob: null } },
      events: [{ type: 'status_changed', message: null, metadata: { from: 'RUNNING', user: { $date: 'not a date' }, raw: { $bytes: 'x' }, $obj: { a: 1 } } }],
    });
    const back = decodeEntry(JSON.parse(encodeEntry(e)));
    assert.deepEqual(back, e);
  });
});
