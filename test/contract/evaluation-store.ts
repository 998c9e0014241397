import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createMemoryBlobStore } from '../../src/backends/memory/blob-store.ts';
import { withTextRouting } from '../../src/backends/text-routing-store.ts';
import type { EvaluationStore, OrderField } from '../../src/backends/types.ts';
import { testConfig } from '../../src/config.ts';
import { sha256Hex } from '../../src/domain/ids.ts';
import { listEvaluations } from '../../src/services/evaluation-list.ts';
import { createTextStorage } from '../../src/services/texts/index.ts';
import { EvaluationService } from '../../src/services/evaluations.ts';
import { rejectsWithCode } from '../support/assert.ts';

export interface StoreHandle {
  store: EvaluationStore;
  close(): Promise<void>;
}

/**
 * The EvaluationStore contract. Every backend runs this same suite (test/backends/*), handed a
 * factory that makes a fresh, empty store. It drives the store through the service and the list
 * function, as the API does, and checks what comes back.
 */
export function evaluationStoreContract(name: string, factory: () => Promise<StoreHandle>): void {
  describe(`EvaluationStore contract: ${name}`, () => {
    let handle: StoreHandle;
    let store: EvaluationStore;
    let service: EvaluationService;
    const limits = testConfig().limits;

    beforeEach(async () => {
      handle = await factory();
      store = handle.store;
      service = new EvaluationService(store, limits);
    });
    afterEach(() => handle.close());

    const insertAt = (id: string, createdAt: Date, extra: Partial<{ language: string; metadata: Record<string, unknown>; taskId: string }> = {}) =>
      store.insert(
        { id, code: `print("${id}")`, codeHash: sha256Hex(`print("${id}")`), language: extra.language ?? 'python', status: 'QUEUED', metadata: extra.metadata ?? {}, taskId: extra.taskId ?? null, createdAt },
        { type: 'created', message: null, metadata: {} },
      );

    it('creates with a computed hash and a created event; the same id and content is idempotent', async () => {
      const a = await service.create({ id: 'eval-1', code: 'print(1)', metadata: { k: 'v' } });
      assert.equal(a.codeHash, sha256Hex('print(1)'));
      assert.equal(a.status, 'QUEUED');
      assert.deepEqual(a.metadata, { k: 'v' });
      const again = await service.create({ id: 'eval-1', code: 'print(1)', metadata: { other: true } });
      assert.deepEqual(again.metadata, { k: 'v' }, 'the existing evaluation is returned unchanged');
      await rejectsWithCode(service.create({ id: 'eval-1', code: 'print(2)' }), 'CONFLICT', { id: 'eval-1', http: { status: 409 } });
      const events = (await store.listEvents(['eval-1'], { limit: 10 })).get('eval-1')!;
      assert.deepEqual(events.map((e) => e.type), ['created']);
    });

    it('generates ids like eval_YYYYMMDD_HHMMSS_<random>', async () => {
      const e = await service.create({ code: 'x' });
      assert.match(e.id, /^eval_\d{8}_\d{6}_[0-9a-f]{10}$/);
    });

    it('walks QUEUED -> RUNNING -> COMPLETED, setting times and writing the timeline', async () => {
      await service.create({ id: 'e', code: 'x' });
      const running = await service.update('e', { status: 'RUNNING' });
      assert.ok(running.startedAt);
      const done = await service.update('e', { status: 'COMPLETED', output: 'hello\u0000world ✓ 🚀' });
      assert.ok(done.completedAt);
      assert.equal(typeof done.runtimeMs, 'number');
      assert.equal(done.output!.data.toString('utf8'), 'hello\u0000world ✓ 🚀', 'NUL bytes and unicode survive in output');
      assert.equal(done.output!.location, 'INLINE');
      assert.equal(done.output!.size, Buffer.byteLength('hello\u0000world ✓ 🚀'));
      const events = (await store.listEvents(['e'], { limit: 10 })).get('e')!;
      assert.deepEqual(events.map((e) => [e.type, e.metadata['from'], e.metadata['to']]), [
        ['created', undefined, undefined],
        ['status_changed', 'QUEUED', 'RUNNING'],
        ['status_changed', 'RUNNING', 'COMPLETED'],
      ]);
      const explicit = await service.create({ id: 'f', code: 'y' });
      await service.update(explicit.id, { status: 'RUNNING' });
      assert.equal((await service.update('f', { status: 'FAILED', runtimeMs: 1234, error: 'boom' })).runtimeMs, 1234);
    });

    it('refuses invalid transitions with both states named, and never reopens', async () => {
      await service.create({ id: 'e', code: 'x' });
      await assert.rejects(service.update('e', { status: 'COMPLETED' }), (err: any) => {
        assert.equal(err.extensions.code, 'INVALID_TRANSITION');
        assert.match(err.message, /QUEUED to COMPLETED/);
        return true;
      });
      await service.update('e', { status: 'CANCELLED' });
      await rejectsWithCode(service.update('e', { status: 'RUNNING' }), 'INVALID_TRANSITION', { from: 'CANCELLED', to: 'RUNNING' });
      await rejectsWithCode(service.update('missing', { status: 'RUNNING' }), 'NOT_FOUND');
    });

    it('lets exactly one of several racing finishes win (compare-and-set)', async () => {
      await service.create({ id: 'race', code: 'x' });
      await service.update('race', { status: 'RUNNING' });
      const results = await Promise.allSettled((['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'] as const).map((status) => service.update('race', { status })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as any).extensions.code, 'INVALID_TRANSITION');
      const events = (await store.listEvents(['race'], { limit: 10, types: ['status_changed'] })).get('race')!;
      assert.equal(events.length, 2, 'one RUNNING step and one finishing step');
    });

    it('maps Celery task states, passing through RUNNING when a task finished while QUEUED', async () => {
      await service.create({ id: 't', code: 'x' });
      const done = await service.applyTaskUpdate('t', { celeryTaskId: 'celery-456', taskState: 'SUCCESS', retries: 2, output: 'Task completed successfully' });
      assert.equal(done.status, 'COMPLETED');
      assert.equal(done.celeryTaskId, 'celery-456');
      assert.equal(done.retries, 2);
      assert.ok(done.startedAt && done.completedAt);
      const types = (await store.listEvents(['t'], { limit: 10 })).get('t')!.map((e) => `${e.type}:${e.metadata['to'] ?? ''}`);
      assert.deepEqual(types, ['created:', 'status_changed:RUNNING', 'status_changed:COMPLETED']);
      await service.create({ id: 'r', code: 'x' });
      await service.applyTaskUpdate('r', { celeryTaskId: 'c', taskState: 'STARTED' });
      const retry = await service.applyTaskUpdate('r', { celeryTaskId: 'c', taskState: 'RETRY', retries: 1 });
      assert.equal(retry.status, 'RUNNING');
      assert.equal(retry.retries, 1);
      await rejectsWithCode(service.applyTaskUpdate('r', { celeryTaskId: 'c', taskState: 'EXPLODED' }), 'BAD_USER_INPUT');
      await rejectsWithCode(service.applyTaskUpdate('t', { celeryTaskId: 'c', taskState: 'FAILURE' }), 'INVALID_TRANSITION');
    });

    it('soft-deletes and restores: hidden from lists and counts, readable by id', async () => {
      await service.create({ id: 'a', code: 'x' });
      await service.create({ id: 'b', code: 'y' });
      const deleted = await service.softDelete('a');
      assert.ok(deleted.deletedAt);
      assert.ok((await service.softDelete('a')).deletedAt, 'deleting twice is harmless');
      assert.equal(await store.count({ includeDeleted: false }), 1);
      assert.equal(await store.count({ includeDeleted: true }), 2);
      const page = await listEvaluations(store, limits, {});
      assert.deepEqual(page.edges.map((e) => e.node.id), ['b']);
      assert.ok((await service.get('a')).deletedAt);
      assert.equal((await service.restore('a')).deletedAt, null);
      assert.equal(await store.count({ includeDeleted: false }), 2);
    });

    it('filters by status, language, time range, metadata containment, code hash and task', async () => {
      const t0 = new Date('2024-07-01T00:00:00.000Z');
      await insertAt('p1', new Date(t0.getTime() + 1000), { metadata: { team: 'a', tags: ['x', 'y'], nested: { deep: 1 } }, taskId: 'task-1' });
      await insertAt('p2', new Date(t0.getTime() + 2000), { metadata: { team: 'b', tags: ['y'] } });
      await insertAt('j1', new Date(t0.getTime() + 3000), { language: 'javascript', metadata: { team: 'a' } });
      await service.update('p2', { status: 'RUNNING' });
      const ids = async (filter: object) => (await listEvaluations(store, limits, { filter, orderBy: { field: 'CREATED_AT', direction: 'ASC' } })).edges.map((e) => e.node.id);
      assert.deepEqual(await ids({ status: ['RUNNING'] }), ['p2']);
      assert.deepEqual(await ids({ status: ['QUEUED', 'RUNNING'] }), ['p1', 'p2', 'j1']);
      assert.deepEqual(await ids({ language: 'javascript' }), ['j1']);
      assert.deepEqual(await ids({ createdAfter: new Date(t0.getTime() + 2000), createdBefore: new Date(t0.getTime() + 3000) }), ['p2']);
      assert.deepEqual(await ids({ metadataContains: { team: 'a' } }), ['p1', 'j1']);
      assert.deepEqual(await ids({ metadataContains: { tags: ['y'] } }), ['p1', 'p2']);
      assert.deepEqual(await ids({ metadataContains: { nested: { deep: 1 } } }), ['p1']);
      assert.deepEqual(await ids({ metadataContains: { nested: { deep: 2 } } }), []);
      assert.deepEqual(await ids({ codeHash: sha256Hex('print("j1")') }), ['j1']);
      assert.deepEqual(await ids({ taskId: 'task-1' }), ['p1']);
    });

    for (const field of ['CREATED_AT', 'COMPLETED_AT', 'RUNTIME_MS'] as OrderField[]) {
      for (const direction of ['ASC', 'DESC'] as const) {
        it(`pages forwards and backwards by ${field} ${direction} without gaps or repeats, nulls last`, async () => {
          // Ties in the sort value (same created time, same runtime) and nulls are the hard cases.
          const t = new Date('2024-07-01T00:00:00.000Z');
          const ids: string[] = [];
          for (let i = 0; i < 9; i++) {
            const id = `k${i}`;
            ids.push(id);
            await insertAt(id, new Date(t.getTime() + Math.floor(i / 3) * 1000));
            if (i % 3 !== 0) {
              await service.update(id, { status: 'RUNNING' });
              await service.update(id, { status: 'COMPLETED', runtimeMs: (i % 2) * 100 });
            }
          }
          const orderBy = { field, direction };
          const forward: string[] = [];
          let after: string | null = null;
          for (let guard = 0; guard < 10; guard++) {
            const page = await listEvaluations(store, limits, { first: 2, after, orderBy });
            forward.push(...page.edges.map((e) => e.node.id));
            assert.equal(page.pageInfo.hasPreviousPage, after !== null);
            if (!page.pageInfo.hasNextPage) break;
            after = page.pageInfo.endCursor;
          }
          assert.equal(new Set(forward).size, 9, `every row once: ${forward.join(',')}`);
          const all = (await listEvaluations(store, limits, { first: 100, orderBy })).edges.map((e) => e.node.id);
          assert.deepEqual(forward, all);
          const nullsAt = all.map((id) => Number(id.slice(1)) % 3 === 0);
          if (field !== 'CREATED_AT') assert.deepEqual(nullsAt.slice(-3), [true, true, true], 'rows without a value come last');
          const backward: string[] = [];
          let before: string | null = null;
          for (let guard = 0; guard < 10; guard++) {
            const page = await listEvaluations(store, limits, { last: 2, before, orderBy });
            backward.unshift(...page.edges.map((e) => e.node.id));
            if (!page.pageInfo.hasPreviousPage) break;
            before = page.pageInfo.startCursor;
          }
          assert.deepEqual(backward, all, 'paging backwards gives the same order');
            });
      }
    }

    it('lists the evaluations of many tasks at once, oldest first, without deleted ones', async () => {
      const t = Date.parse('2024-07-01T00:00:00.000Z');
      await insertAt('a2', new Date(t + 2000), { taskId: 'task-a' });
      await insertAt('a1', new Date(t + 1000), { taskId: 'task-a' });
      await insertAt('a3', new Date(t + 3000), { taskId: 'task-a' });
      await insertAt('b1', new Date(t), { taskId: 'task-b' });
      await insertAt('b2', new Date(t + 1), { taskId: 'task-b' });
      await insertAt('none', new Date(t));
      await service.softDelete('b2');
      const byTask = await store.listByTask(['task-a', 'task-b', 'task-c'], 2);
      assert.deepEqual(Object.fromEntries([...byTask].map(([task, list]) => [task, list.map((e) => e.id)])), { 'task-a': ['a1', 'a2'], 'task-b': ['b1'] });
    });

    it('pages events with a limit, a cursor and a type filter, and counts them', async () => {
      await service.create({ id: 'e', code: 'x' });
      for (let i = 0; i < 5; i++) await service.addEvent('e', i % 2 ? 'odd' : 'even', `m${i}`, { i });
      const firstTwo = (await store.listEvents(['e'], { limit: 2 })).get('e')!;
      assert.deepEqual(firstTwo.map((e) => e.type), ['created', 'even']);
      const rest = (await store.listEvents(['e'], { limit: 10, afterId: firstTwo[1]!.id })).get('e')!;
      assert.deepEqual(rest.map((e) => e.message), ['m1', 'm2', 'm3', 'm4']);
      const odd = (await store.listEvents(['e'], { limit: 10, types: ['odd'] })).get('e')!;
      assert.deepEqual(odd.map((e) => e.metadata['i']), [1, 3]);
      assert.equal((await store.countEvents(['e', 'nothing'], ['even'])).get('e'), 3);
      assert.equal((await store.countEvents(['e'])).get('e'), 6);
      await rejectsWithCode(service.addEvent('missing', 'x', null, {}), 'NOT_FOUND');
    });

    it('stores thousands of metric points in one call and reads them by name, range and last', async () => {
      await service.create({ id: 'm', code: 'x' });
      await service.create({ id: 'other', code: 'y' });
      const t = Date.parse('2024-07-01T00:00:00.000Z');
      const points = Array.from({ length: 5000 }, (_, i) => ({ name: i % 2 ? 'loss' : 'accuracy', value: i / 5000, step: i, unit: i % 2 ? null : 'ratio', timestamp: new Date(t + i * 1000) }));
      assert.equal(await service.recordMetrics('m', points), 5000);
      await service.recordMetrics('other', [{ name: 'accuracy', value: 1 }]);
      const all = (await store.listMetrics(['m'], {})).get('m')!;
      assert.equal(all.length, 5000);
      assert.equal(all[0]!.name, 'accuracy');
      const lastThree = (await store.listMetrics(['m', 'other'], { names: ['accuracy'], last: 3 }));
      assert.deepEqual(lastThree.get('m')!.map((m) => m.step), [4994, 4996, 4998]);
      assert.equal(lastThree.get('other')!.length, 1);
      const ranged = (await store.listMetrics(['m'], { names: ['loss'], from: new Date(t + 10_000), to: new Date(t + 16_000) })).get('m')!;
      assert.deepEqual(ranged.map((m) => m.step), [11, 13, 15]);
      assert.equal(ranged[0]!.unit, null);
      await rejectsWithCode(service.recordMetrics('missing', points.slice(0, 1)), 'NOT_FOUND');
    });

    it('computes statistics over non-deleted evaluations in a time range', async () => {
      for (const [i, runtimeMs] of [100, 200, 300, 400].entries()) {
        await service.create({ id: `s${i}`, code: `${i}`, language: i === 3 ? 'rust' : 'python' });
        await service.update(`s${i}`, { status: 'RUNNING' });
        await service.update(`s${i}`, { status: i === 0 ? 'FAILED' : 'COMPLETED', runtimeMs });
      }
      await service.create({ id: 'q', code: 'q' });
      await service.create({ id: 'gone', code: 'gone' });
      await service.softDelete('gone');
      const s = await store.statistics({});
      assert.equal(s.total, 5);
      assert.deepEqual(s.byStatus, [{ status: 'COMPLETED', count: 3 }, { status: 'FAILED', count: 1 }, { status: 'QUEUED', count: 1 }]);
      assert.deepEqual(s.byLanguage, [{ language: 'python', count: 4 }, { language: 'rust', count: 1 }]);
      assert.deepEqual(s.runtimeMs, { avg: 250, p50: 250, p95: 385, max: 400 });
      const none = await store.statistics({ from: new Date('2000-01-01T00:00:00Z'), to: new Date('2000-01-02T00:00:00Z') });
      assert.equal(none.total, 0);
      assert.deepEqual(none.runtimeMs, { avg: null, p50: null, p95: null, max: null });
    });

    it('keeps routed texts: compressed bytes, checksums and blob references round-trip', async () => {
      const blobs = createMemoryBlobStore();
      const texts = createTextStorage(blobs, { inlineThreshold: 100, largeFileThreshold: 1000, previewSize: 10 });
      const routed = new EvaluationService(withTextRouting(store, texts), limits);
      await routed.create({ id: 'big', code: 'x' });
      const output = 'é'.repeat(2000);
      const error = 'e'.repeat(500);
      const updated = await routed.update('big', { output, error });
      const back = (await store.getMany(['big'])).get('big')!;
      assert.deepEqual(back.output, updated.output, 'what the update returned is what a read returns');
      assert.equal(back.output!.location, 'FILE');
      assert.equal(back.output!.size, 4000);
      assert.equal(back.output!.sha256, sha256Hex(output));
      assert.deepEqual({ ...back.output!.blob!, key: '' }, { key: '', chars: 2000, checkpoints: [] });
      assert.equal(back.output!.data.toString('utf8'), 'é'.repeat(10), 'the row keeps the preview');
      assert.equal(back.error!.location, 'COMPRESSED');
      assert.equal(await texts.slice(back.error!, 495, 10), 'eeeee');
      assert.equal(await texts.slice(back.output!, 1998, 10), 'éé');
      assert.equal(back.output!.blob!.key.startsWith('evaluations/big/output.'), true);
      const small = await routed.update('big', { output: 'short' });
      assert.deepEqual([small.output!.location, small.output!.blob ?? null, small.output!.sha256], ['INLINE', null, sha256Hex('short')]);
    });

    it('removes the new blob when the row is not written, so no row or blob disagrees', async () => {
      const blobs = createMemoryBlobStore();
      const routing = withTextRouting(store, createTextStorage(blobs, { inlineThreshold: 10, largeFileThreshold: 100, previewSize: 10 }));
      await service.create({ id: 'cas', code: 'x' });
      const lost = await routing.update('cas', 'RUNNING', { output: { location: 'INLINE', size: 500, data: Buffer.alloc(500, 'a') } }, []);
      assert.equal(lost, null, 'the compare-and-set lost: the status is QUEUED');
      const gone = await routing.update('missing', 'QUEUED', { output: { location: 'INLINE', size: 500, data: Buffer.alloc(500, 'a') } }, []);
      assert.equal(gone, null);
      const left: string[] = [];
      for await (const b of blobs.list('evaluations/')) left.push(b.key);
      assert.deepEqual(left, []);
      assert.equal((await service.get('cas')).output, null);
    });

    it('stores hostile text verbatim: SQL, quotes, unicode', async () => {
      const code = `'); DROP TABLE evaluations; -- "quoted" \\ backslash ${'\u{1F680}'} ünïcödé 漢字`;
      const e = await service.create({ id: 'hostile', code, metadata: { "key'; DROP": "val\"ue", emoji: '🚀' } });
      const back = await service.get('hostile');
      assert.equal(back.code, code);
      assert.deepEqual(back.metadata, { "key'; DROP": "val\"ue", emoji: '🚀' });
      assert.equal(e.codeHash, sha256Hex(code));
      await service.addEvent('hostile', "x' OR '1'='1", "msg'; --", { q: "'" });
      assert.equal((await store.count({ includeDeleted: true })), 1, 'nothing was dropped');
    });
  });
}

