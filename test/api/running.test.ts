import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApplyTaskUpdateDocument,
  CreateEvaluationDocument,
  MarkRunningDocument,
  PageWithRunningAndLogsDocument,
  RunningEvaluationsDocument,
  RunningOfDocument,
  TimelineDocument,
  UpdateEvaluationDocument,
} from '../generated/graphql.ts';
import { createRunningApp, runningTargets, type RunningTestApp } from '../support/running.ts';
import { dataOf, firstErrorOf } from '../support/assert.ts';

/** markRunning, runningEvaluations and Evaluation.running end to end, the same on every target. */
for (const target of await runningTargets()) {
  describe(`running evaluations over GraphQL (${target})`, () => {
    let app: RunningTestApp;
    before(async () => {
      app = await createRunningApp(target);
      for (const id of ['q1', 'q2', 'q3', 'q4', 'q5']) await app.gql(CreateEvaluationDocument, { input: { id, code: 'x' } });
    });
    after(() => app.close());

    const ok = dataOf;
    const errorOf = firstErrorOf;
    const listed = async () => (await ok(app.gql(RunningEvaluationsDocument))).runningEvaluations.map((e) => e.id);

    it('starts a QUEUED evaluation through the usual transition, then takes heartbeats', async () => {
      const first = (await ok(app.gql(MarkRunningDocument, { id: 'q1', input: { containerId: 'c-1', host: 'node-a', info: { cpu: 2, image: 'py3.12' } } }))).markRunning;
      assert.equal(first.status, 'RUNNING');
      assert.ok(first.startedAt);
      assert.deepEqual({ ...first.running, startedAt: undefined, heartbeatAt: undefined }, { containerId: 'c-1', host: 'node-a', info: { cpu: 2, image: 'py3.12' }, startedAt: undefined, heartbeatAt: undefined });
      assert.equal(first.running!.heartbeatAt, first.running!.startedAt);

      const beat = (await ok(app.gql(MarkRunningDocument, { id: 'q1', input: { info: { cpu: 3 } } }))).markRunning;
      assert.equal(beat.startedAt, first.startedAt, 'a heartbeat does not restart the evaluation');
      assert.deepEqual([beat.running!.containerId, beat.running!.host, beat.running!.info], ['c-1', 'node-a', { cpu: 3 }], 'omitted fields kept; info replaced whole');
      assert.equal(beat.running!.startedAt, first.running!.startedAt);
      assert.ok(beat.running!.heartbeatAt! >= first.running!.heartbeatAt!);
      await ok(app.gql(MarkRunningDocument, { id: 'q1' }));

      const timeline = (await ok(app.gql(TimelineDocument, { id: 'q1', types: ['status_changed'] }))).evaluation!.events;
      assert.deepEqual(timeline.edges.map((e) => e.node.message), ['QUEUED -> RUNNING'], 'one status_changed event, none per heartbeat');
    });

    it('lists every RUNNING evaluation, however it started, oldest start first', async () => {
      await ok(app.gql(UpdateEvaluationDocument, { id: 'q2', input: { status: 'RUNNING' } }));
      await ok(app.gql(ApplyTaskUpdateDocument, { evaluationId: 'q3', input: { celeryTaskId: 't3', taskState: 'STARTED' } }));
      assert.deepEqual(await listed(), ['q1', 'q2', 'q3']);
      const implied = (await ok(app.gql(RunningOfDocument, { id: 'q2' }))).evaluation!.running!;
      assert.deepEqual({ ...implied, startedAt: typeof implied.startedAt }, { containerId: null, host: null, heartbeatAt: null, info: {}, startedAt: 'string' });
      const queued = (await ok(app.gql(RunningOfDocument, { id: 'q4' }))).evaluation!;
      assert.deepEqual(queued, { status: 'QUEUED', running: null });
    });

    it('drops a finished evaluation, whichever path finished it, and refuses to run it again', async () => {
      await ok(app.gql(UpdateEvaluationDocument, { id: 'q1', input: { status: 'COMPLETED' } }));
      await ok(app.gql(ApplyTaskUpdateDocument, { evaluationId: 'q3', input: { celeryTaskId: 't3', taskState: 'FAILURE' } }));
      await ok(app.gql(ApplyTaskUpdateDocument, { evaluationId: 'q5', input: { celeryTaskId: 't5', taskState: 'SUCCESS' } })); // QUEUED -> RUNNING -> COMPLETED at once
      assert.deepEqual(await listed(), ['q2']);
      assert.equal((await ok(app.gql(RunningOfDocument, { id: 'q1' }))).evaluation!.running, null);
      const again = await errorOf(app.gql(MarkRunningDocument, { id: 'q1', input: { host: 'node-b' } }));
      assert.deepEqual([again.extensions['code'], again.extensions['from'], again.extensions['to']], ['INVALID_TRANSITION', 'COMPLETED', 'RUNNING']);
      assert.deepEqual(await listed(), ['q2'], 'the refused report left no trace');
      await ok(app.gql(UpdateEvaluationDocument, { id: 'q2', input: { status: 'CANCELLED' } }));
      assert.deepEqual(await listed(), []);
    });

    it('refuses bad reports with a coded, actionable error and writes nothing', async () => {
      const missing = await errorOf(app.gql(MarkRunningDocument, { id: 'nope' }));
      assert.equal(missing.extensions['code'], 'NOT_FOUND');
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ info: [1, 2] }, /info must be a JSON object.*not an array/],
        [{ info: 'busy' }, /info must be a JSON object.*not a string/],
        [{ info: 42 }, /info must be a JSON object/],
        [{ info: { k: 'a\u0000b' } }, /NUL character/],
        [{ info: { big: 'x'.repeat(70_000) } }, /info is \d+ bytes as JSON; the limit is 65536/],
        [{ containerId: 'c'.repeat(256) }, /containerId is 256 bytes; the limit is 255/],
        [{ host: 'bad\u0000host' }, /host contains a NUL character/],
        [{ containerId: '  ' }, /containerId must not be empty/],
      ];
      for (const [input, message] of cases) {
        const e = await errorOf(app.gql(MarkRunningDocument, { id: 'q4', input }));
        assert.equal(e.extensions['code'], 'BAD_USER_INPUT', JSON.stringify(input).slice(0, 60));
        assert.match(e.message, message);
      }
      assert.equal((await errorOf(app.gql(MarkRunningDocument, { id: '../etc' }))).extensions['code'], 'BAD_USER_INPUT');
      assert.deepEqual((await ok(app.gql(RunningOfDocument, { id: 'q4' }))).evaluation, { status: 'QUEUED', running: null });
    });

    if (target !== 'memory') {
      it('resolves running and logs for a whole page in a constant number of statements', async () => {
        for (let i = 0; i < 20; i++) {
          await app.gql(CreateEvaluationDocument, { input: { id: `page-${i}`, code: 'x' } });
          await app.gql(MarkRunningDocument, { id: `page-${i}`, input: { host: 'h' } });
        }
        const statementsFor = async (first: number) => {
          const before = app.registry.sql!.stats.statements;
          const page = await ok(app.gql(PageWithRunningAndLogsDocument, { first, tail: 2 }));
          assert.equal(page.evaluations.edges.length, first);
          return app.registry.sql!.stats.statements - before;
        };
        // Pages of finished, queued and running evaluations: the list, the running records, the logs
        // of the RUNNING ones (their tails are empty here) and the logs of the others.
        assert.deepEqual([await statementsFor(10), await statementsFor(25)], [4, 4]);
      });
    }
  });
}
