import { useState } from 'preact/hooks';
import {
  ExplorerEvaluationsDocument,
  ExplorerStatusCountsDocument,
  type EvaluationOrderField,
  type EvaluationRowFragment,
  type EvaluationStatus,
  type OrderDirection,
} from '../client/generated.ts';
import { useQuery, useThrottled } from './api.ts';
import { ErrorBox, Panel, StatusBadge } from './common.tsx';
import { duration, fromLocalInput, time } from './format.ts';
import { RunningPanel, type Changed } from './running.tsx';
import { href } from './router.ts';

const STATUSES: EvaluationStatus[] = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'];
const PAGE = 20;

interface Filter {
  status: EvaluationStatus | '';
  language: string;
  after: string;
  before: string;
  field: EvaluationOrderField;
  direction: OrderDirection;
}

/** Where the table is: the first page, or after / before a cursor. */
type Page = { after?: string; before?: string; index: number };

export function EvaluationsView() {
  const [filter, setFilter] = useState<Filter>({ status: '', language: '', after: '', before: '', field: 'CREATED_AT', direction: 'DESC' });
  const [page, setPage] = useState<Page>({ index: 0 });
  // Live changes from the running panel, applied to the rows on this page by id.
  const [changed, setChanged] = useState<Record<string, EvaluationRowFragment>>({});
  const update = (patch: Partial<Filter>) => {
    setFilter({ ...filter, ...patch });
    setPage({ index: 0 });
  };
  const common = { language: filter.language || undefined, createdAfter: fromLocalInput(filter.after), createdBefore: fromLocalInput(filter.before) };
  const list = useQuery(ExplorerEvaluationsDocument, {
    ...(page.before ? { last: PAGE, before: page.before } : { first: PAGE, after: page.after }),
    filter: { ...common, status: filter.status ? [filter.status] : undefined },
    orderBy: { field: filter.field, direction: filter.direction },
  });
  const counts = useQuery(ExplorerStatusCountsDocument, common);
  const recount = useThrottled(counts.refetch, 500);
  const onChange = (change: Changed) => {
    setChanged((c) => ({ ...c, [change.evaluation.id]: change.evaluation }));
    if (change.kind !== 'UPDATED') recount();
  };

  const conn = list.data?.evaluations;
  const rows = (conn?.edges ?? []).map((e) => changed[e.node.id] ?? e.node);
  const languages = counts.data?.statistics.byLanguage.map((l) => l.language) ?? [];
  const countOf = (s: EvaluationStatus) => counts.data?.[s.toLowerCase() as 'queued']?.totalCount;

  return (
    <div class="columns">
      <div class="main">
        <Panel title="Evaluations" extra={conn && <span class="muted" data-total={conn.totalCount}>{conn.totalCount} matching</span>}>
          <div class="counts" role="group" aria-label="Counts by status">
            {STATUSES.map((s) => (
              <button type="button" class={`count ${filter.status === s ? 'on' : ''}`} data-count-status={s} onClick={() => update({ status: filter.status === s ? '' : s })}>
                <StatusBadge status={s} /> <b>{countOf(s) ?? '…'}</b>
              </button>
            ))}
          </div>
          <form class="filters" onSubmit={(e) => e.preventDefault()}>
            <label>
              Status
              <select name="status" value={filter.status} onChange={(e) => update({ status: e.currentTarget.value as EvaluationStatus | '' })}>
                <option value="">any</option>
                {STATUSES.map((s) => <option value={s}>{s}</option>)}
              </select>
            </label>
            <label>
              Language
              <select name="language" value={filter.language} onChange={(e) => update({ language: e.currentTarget.value })}>
                <option value="">any</option>
                {languages.map((l) => <option value={l}>{l}</option>)}
              </select>
            </label>
            <label>
              Created from (local time)
              <input type="datetime-local" name="after" value={filter.after} onChange={(e) => update({ after: e.currentTarget.value })} />
            </label>
            <label>
              to
              <input type="datetime-local" name="before" value={filter.before} onChange={(e) => update({ before: e.currentTarget.value })} />
            </label>
            <label>
              Sort
              <select name="sort" value={`${filter.field} ${filter.direction}`} onChange={(e) => {
                const [field, direction] = e.currentTarget.value.split(' ') as [EvaluationOrderField, OrderDirection];
                update({ field, direction });
              }}>
                <option value="CREATED_AT DESC">newest first</option>
                <option value="CREATED_AT ASC">oldest first</option>
                <option value="COMPLETED_AT DESC">latest completed</option>
                <option value="RUNTIME_MS DESC">longest runtime</option>
                <option value="RUNTIME_MS ASC">shortest runtime</option>
              </select>
            </label>
          </form>
          {list.error && <ErrorBox error={list.error} />}
          <table class={`grid ${list.loading ? 'loading' : ''}`} id="evaluations">
            <thead>
              <tr><th>Id</th><th>Status</th><th>Language</th><th>Created (UTC)</th><th class="num">Runtime</th><th>Host</th></tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr data-id={e.id} key={e.id}>
                  <td><a href={href.evaluation(e.id)}>{e.id}</a></td>
                  <td><StatusBadge status={e.status} /></td>
                  <td>{e.language}</td>
                  <td>{time(e.createdAt)}</td>
                  <td class="num">{duration(e.runtimeMs)}</td>
                  <td>{e.running?.host ?? ''}</td>
                </tr>
              ))}
              {conn && rows.length === 0 && <tr><td colSpan={6} class="muted">No evaluation matches.</td></tr>}
            </tbody>
          </table>
          {conn && (
            <nav class="pager">
              <button type="button" name="prev" disabled={!conn.pageInfo.hasPreviousPage || page.index === 0}
                onClick={() => setPage({ before: conn.pageInfo.startCursor ?? undefined, index: page.index - 1 })}>← Previous</button>
              <span class="muted" data-page={page.index + 1}>page {page.index + 1} of {Math.max(1, Math.ceil(conn.totalCount / PAGE))}</span>
              <button type="button" name="next" disabled={!conn.pageInfo.hasNextPage}
                onClick={() => setPage({ after: conn.pageInfo.endCursor ?? undefined, index: page.index + 1 })}>Next →</button>
            </nav>
          )}
        </Panel>
      </div>
      <aside class="side">
        <RunningPanel onChange={onChange} />
      </aside>
    </div>
  );
}
