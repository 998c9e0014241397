import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddEventDocument,
  ApplyTaskUpdateDocument,
  CreateEvaluationDocument,
  DeleteEvaluationDocument,
  GetEvaluationDocument,
  HealthDocument,
  ListEvaluationsDocument,
  MetricsDocument,
  OutputSliceDocument,
  RecordMetricsDocument,
  RestoreEvaluationDocument,
  StatisticsDocument,
  TimelineDocument,
  UpdateEvaluationDocument,
} from '../generated/graphql.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('evaluations API end to end (embedded PostgreSQL)', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp('pglite', { publicUrl: 'http://strata.test' });
  });
  after(() => app.close());

  it('creates, runs, completes, soft-deletes and restores an evaluation', async () => {
    const created = await app.gql(CreateEvaluationDocument, {
      input: { id: 'eval_20240701_120000_abc123', code: 'for i in range(10):\n    print(f"Count: {i}")', metadata: { submitted_by: 'api', priority: 'normal' } },
    });
    assert.equal(created.status, 200);
    const e = created.body.data!.createEvaluation;
    assert.equal(e.status, 'QUEUED');
    assert.equal(e.language, 'python');
    assert.equal(e.output, null);
    await app.gql(UpdateEvaluationDocument, { id: e.id, input: { status: 'RUNNING' } });
    const done = await app.gql(UpdateEvaluationDocument, { id: e.id, input: { status: 'COMPLETED', output: 'Count: 0\nCount: 1\n...', runtimeMs: 150 } });
    const completed = done.body.data!.updateEvaluation;
    assert.equal(completed.runtimeMs, 150);
    assert.deepEqual(completed.output, { location: 'INLINE', size: 21, preview: 'Count: 0\nCount: 1\n...', truncated: false, downloadUrl: 'http://strata.test/evaluations/eval_20240701_120000_abc123/output' });

    const download = await app.yoga.fetch(`http://yoga/evaluations/${e.id}/output`);
    assert.equal(download.status, 200);
    assert.equal(await download.text(), 'Count: 0\nCount: 1\n...');
    assert.equal((await app.yoga.fetch('http://yoga/evaluations/nope/output')).status, 404);
    assert.equal((await app.yoga.fetch('http://yoga/evaluations/..%2F..%2Fetc%2Fpasswd/output')).status, 400);

    await app.gql(DeleteEvaluationDocument, { id: e.id });
    const hidden = await app.gql(ListEvaluationsDocument, { filter: { codeHash: completed.codeHash } });
    assert.equal(hidden.body.data!.evaluations.totalCount, 0);
    const withDeleted = await app.gql(ListEvaluationsDocument, { filter: { codeHash: completed.codeHash, includeDeleted: true } });
    assert.equal(withDeleted.body.data!.evaluations.totalCount, 1);
    assert.ok((await app.gql(GetEvaluationDocument, { id: e.id })).body.data!.evaluation!.deletedAt);
    assert.equal((await app.gql(RestoreEvaluationDocument, { id: e.id })).body.data!.restoreEvaluation.deletedAt, null);

    const timeline = await app.gql(TimelineDocument, { id: e.id });
    assert.deepEqual(
      timeline.body.data!.evaluation!.events.edges.map((edge) => edge.node.type),
      ['created', 'status_changed', 'status_changed', 'deleted', 'restored'],
    );
  });

  it('slices large text within the configured maximum and previews 1000 characters', async () => {
    const output = '🚀'.repeat(600) + 'x'.repeat(2000);
    await app.gql(CreateEvaluationDocument, { input: { id: 'big', code: 'x' } });
    await app.gql(UpdateEvaluationDocument, { id: 'big', input: { status: 'RUNNING' } });
    await app.gql(UpdateEvaluationDocument, { id: 'big', input: { status: 'COMPLETED', output } });
    const res = await app.gql(OutputSliceDocument, { id: 'big', offset: 1199, length: 3 });
    const text = res.body.data!.evaluation!.output!;
    assert.equal(text.truncated, true);
    assert.equal(text.preview.length, 1000);
    assert.equal(text.size, Buffer.byteLength(output));
    // offset 1199 is inside the 600th rocket (two UTF-16 units): the slice starts at the whole character.
    assert.equal(text.text, '🚀xx');
    assert.ok(text.preview.isWellFormed(), 'the preview never ends in half a surrogate pair');
  });

  it('keeps the timeline, metrics and statistics', async () => {
    await app.gql(CreateEvaluationDocument, { input: { id: 'tl', code: 'x', language: 'rust' } });
    for (let i = 0; i < 3; i++) await app.gql(AddEventDocument, { evaluationId: 'tl', type: 'progress', message: `step ${i}`, metadata: { i } });
    const page1 = (await app.gql(TimelineDocument, { id: 'tl', first: 2, types: ['progress'] })).body.data!.evaluation!.events;
    assert.equal(page1.totalCount, 3);
    assert.equal(page1.pageInfo.hasNextPage, true);
    const page2 = (await app.gql(TimelineDocument, { id: 'tl', first: 2, after: page1.pageInfo.endCursor, types: ['progress'] })).body.data!.evaluation!.events;
    assert.deepEqual(page2.edges.map((edge) => edge.node.message), ['step 2']);
    assert.equal(page2.pageInfo.hasNextPage, false);

    const points = Array.from({ length: 3000 }, (_, i) => ({ name: i % 3 ? 'loss' : 'accuracy', value: i, step: i, timestamp: new Date(Date.UTC(2024, 6, 1, 0, 0, i)).toISOString() }));
    assert.equal((await app.gql(RecordMetricsDocument, { evaluationId: 'tl', points })).body.data!.recordMetrics, 3000);
    const last = (await app.gql(MetricsDocument, { id: 'tl', names: ['accuracy'], last: 2 })).body.data!.evaluation!.metrics;
    assert.deepEqual(last.map((m) => m.step), [2994, 2997]);
    const ranged = (await app.gql(MetricsDocument, { id: 'tl', names: ['loss'], from: '2024-07-01T00:00:01Z', to: '2024-07-01T00:00:03Z' })).body.data!.evaluation!.metrics;
    assert.deepEqual(ranged.map((m) => m.step), [1, 2]);

    const stats = (await app.gql(StatisticsDocument, {})).body.data!.statistics;
    assert.ok(stats.total >= 1);
    assert.ok(stats.byLanguage.some((l) => l.language === 'rust'));
  });

  it('applies Celery task updates as seed 004 sends them', async () => {
    await app.gql(CreateEvaluationDocument, { input: { id: 'eval_123', code: 'x' } });
    const res = await app.gql(ApplyTaskUpdateDocument, {
      evaluationId: 'eval_123',
      input: { celeryTaskId: 'celery-task-456', taskState: 'SUCCESS', retries: 0, output: 'Task completed successfully' },
    });
    assert.deepEqual(res.body.data!.applyTaskUpdate, { id: 'eval_123', status: 'COMPLETED', celeryTaskId: 'celery-task-456', retries: 0, output: { preview: 'Task completed successfully' } });
  });

  it('reports health and the storage overview', async () => {
    const res = await app.gql(HealthDocument, {});
    assert.equal(res.body.data!.health.ok, true);
    const primary = res.body.data!.health.backends.find((b) => b.role === 'primary')!;
    assert.equal(primary.name, 'pglite');
    assert.equal(typeof (primary.metrics as Record<string, number>)['evaluations'], 'number');
    assert.equal(res.body.data!.storage.fallbackPending, 0);
  });
});
