import type { AuditRecord } from '../backends/audit-types.ts';
import { auditCursor, auditLogPage, type AuditPage } from '../resolvers/audit.ts';
import { builder } from './builder.ts';
import { PageInfoRef } from './enums.ts';

const AuditRecordRef = builder.objectRef<AuditRecord>('AuditRecord').implement({
  description: 'One write, as the audit log keeps it. Records are append-only: no API changes or removes them.',
  fields: (t) => ({
    id: t.exposeID('id'),
    keyName: t.exposeString('keyName', { nullable: true, description: 'The API key that made it; null when the gateway runs open (no keys configured).' }),
    operation: t.exposeString('operation', { description: 'The mutation field (createEvaluation), REST route or CLI command.' }),
    targetIds: t.exposeStringList('targetIds', { description: 'Ids, keys and names the write acted on, from its arguments and its result.' }),
    at: t.expose('at', { type: 'DateTime' }),
    outcome: t.exposeString('outcome', { description: '"ok", or the error code it ended with (FORBIDDEN, BAD_USER_INPUT, ...).' }),
    requestId: t.exposeString('requestId'),
  }),
});

const AuditRecordEdgeRef = builder.objectRef<AuditRecord>('AuditRecordEdge').implement({
  fields: (t) => ({ node: t.field({ type: AuditRecordRef, resolve: (r) => r }), cursor: t.string({ resolve: auditCursor }) }),
});

const AuditRecordConnectionRef = builder.objectRef<AuditPage>('AuditRecordConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [AuditRecordEdgeRef], resolve: (p) => p.records }),
    pageInfo: t.field({
      type: PageInfoRef,
      resolve: (p) => ({
        hasNextPage: p.hasNextPage,
        hasPreviousPage: false,
        startCursor: p.records[0] ? auditCursor(p.records[0]) : null,
        endCursor: p.records.length ? auditCursor(p.records[p.records.length - 1]!) : null,
      }),
    }),
  }),
});

const AuditLogFilter = builder.inputType('AuditLogFilter', {
  fields: (t) => ({
    keyName: t.string(),
    operation: t.string(),
    targetId: t.string({ description: 'Records whose targetIds include this.' }),
    outcome: t.string(),
    since: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    until: t.field({ type: 'DateTime', description: 'Exclusive.' }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.field({
    type: AuditRecordConnectionRef,
    description: 'Every write, newest first (admin scope).',
    authScopes: { admin: true },
    args: {
      first: t.arg.int({ description: 'DEFAULT_PAGE_SIZE when omitted, at most MAX_PAGE_SIZE.' }),
      after: t.arg.string(),
      filter: t.arg({ type: AuditLogFilter }),
    },
    resolve: (_, args, ctx) => auditLogPage(ctx, args),
  }),
}));
