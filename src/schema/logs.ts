import type { LogLineRecord } from '../domain/running.ts';
import type { LogChunk } from '../services/logs.ts';
import { delivered, fieldArgs, starting } from '../subscriptions/delivery.ts';
import { evaluationLogs } from '../subscriptions/streams/log-stream.ts';
import { builder } from './builder.ts';
import { EvaluationRef } from './evaluation.ts';

const LogLineRef = builder.objectRef<LogLineRecord>('LogLine').implement({
  description: "One line of an evaluation's log.",
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: 'Position in the log: 1, 2, 3, ... per evaluation, with no gaps.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
    stream: t.exposeString('stream', { description: 'stdout, stderr, or another short name the worker chose.' }),
    text: t.exposeString('text'),
  }),
});

const LogChunkRef = builder.objectRef<LogChunk>('LogChunk').implement({
  description: 'Consecutive log lines, oldest first.',
  fields: (t) => ({
    lines: t.field({ type: [LogLineRef], resolve: (c) => c.lines }),
    nextSeq: t.exposeInt('nextSeq', {
      description:
        'The seq to continue from: one past the last line returned (when no line is returned, one past what the read ' +
        'covered). Read on with logs(afterSeq: nextSeq - 1); a subscription takes it as fromSeq. Nothing is skipped or repeated.',
    }),
  }),
});

const LogLineInput = builder.inputType('LogLineInput', {
  fields: (t) => ({
    stream: t.string({ defaultValue: 'stdout', description: '1-32 lower-case letters, digits, "_" or "-", starting with a letter.' }),
    text: t.string({ required: true, description: 'At most MAX_LOG_LINE_BYTES bytes (UTF-8), without NUL characters.' }),
    timestamp: t.field({ type: 'DateTime', description: 'Defaults to the time of the request.' }),
  }),
});

builder.objectFields(EvaluationRef, (t) => ({
  logs: t.field({
    type: LogChunkRef,
    description:
      'Lines with seq > afterSeq (default 0), oldest first: the first MAX_LOG_READ of them, or with `tail` the newest ' +
      '`tail` of them (tail at most MAX_LOG_READ). A RUNNING evaluation is read from the Redis tail when it holds every line asked for.',
    args: { tail: t.arg.int(), afterSeq: t.arg.int() },
    resolve: (e, args, ctx) => ctx.logs.read(e, args),
  }),
}));

builder.mutationFields((t) => ({
  appendLogs: t.field({
    type: LogChunkRef,
    description: 'Stores lines (at most MAX_LOG_LINES_PER_CALL) after the last one, numbered in order; returns them.',
    args: { id: t.arg.id({ required: true }), lines: t.arg({ type: [LogLineInput], required: true }) },
    resolve: (_, { id, lines }, ctx) => ctx.logs.append(id, lines),
  }),
}));

builder.subscriptionFields((t) => ({
  evaluationLogs: t.field({
    type: LogLineRef,
    description:
      'Every line with seq >= fromSeq (default 1), in order and each once: the stored lines, then new ones as they are ' +
      'appended. Completes when the evaluation finishes. To resume, pass the last seq received + 1 (or a LogChunk.nextSeq).',
    args: { id: t.arg.id({ required: true }), fromSeq: t.arg.int() },
    subscribe: (_, __, ctx, info) => {
      const { id, fromSeq } = fieldArgs<{ id: string; fromSeq?: number | null }>(info);
      return starting(evaluationLogs(ctx, id, fromSeq));
    },
    resolve: (value, _, ctx) => delivered(ctx, value),
  }),
}));
