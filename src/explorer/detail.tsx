import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ExplorerEvaluationDocument,
  ExplorerEvaluationStateDocument,
  OnEvaluationEventsDocument,
  OnEvaluationLogsDocument,
  OnMetricPointsDocument,
  type ExplorerEvaluationQuery,
} from '../client/generated.ts';
import { useQuery, useSubscription, useThrottled } from './api.ts';
import { MetricChart, type Point } from './chart.tsx';
import { ErrorBox, Live, Panel, StatusBadge } from './common.tsx';
import { duration, time } from './format.ts';
import { href } from './router.ts';
import { StoredTextView } from './stored-text.tsx';

type Loaded = NonNullable<ExplorerEvaluationQuery['evaluation']>;
type Event = Loaded['events']['edges'][number]['node'];
type LogLine = Loaded['logs']['lines'][number];
type Metric = Loaded['metrics'][number];

const LOG_TAIL = 200;
const METRICS_LAST = 500;

export function EvaluationView({ id }: { id: string }) {
  const loaded = useQuery(ExplorerEvaluationDocument, { id, logTail: LOG_TAIL, metricsLast: METRICS_LAST });
  const evaluation = loaded.data?.evaluation;
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!loaded.data) return <p class="muted">Loading {id}…</p>;
  if (!evaluation) return <div class="error" data-code="NOT_FOUND">No evaluation {id}.</div>;
  // Keyed by id: another evaluation starts from its own first load.
  return <Detail key={id} initial={evaluation} />;
}

/** The first load, then live: timeline events, log lines and metric points as they arrive. */
function Detail({ initial }: { initial: Loaded }) {
  const id = initial.id;
  const [events, setEvents] = useState<Event[]>(initial.events.edges.map((e) => e.node));
  const [lines, setLines] = useState<LogLine[]>(initial.logs.lines);
  const [metrics, setMetrics] = useState<Metric[]>(initial.metrics);
  const nextSeq = useRef(initial.logs.nextSeq);
  const state = useQuery(ExplorerEvaluationStateDocument, { id });
  const current = { ...initial, ...state.data?.evaluation };
  const reread = useThrottled(state.refetch, 300);

  const eventsLive = useSubscription(OnEvaluationEventsDocument, () => ({ id, afterId: events.at(-1)?.id }), ({ evaluationEvents: e }) => {
    setEvents((list) => (list.some((x) => x.id === e.id) ? list : [...list, e]));
    reread();
  }, [id]);
  const logsLive = useSubscription(OnEvaluationLogsDocument, () => ({ id, fromSeq: nextSeq.current }), ({ evaluationLogs: line }) => {
    if (line.seq < nextSeq.current) return;
    nextSeq.current = line.seq + 1;
    setLines((list) => [...list, line].slice(-1000));
  }, [id]);
  const metricsLive = useSubscription(OnMetricPointsDocument, () => ({ evaluationId: id }), ({ metricPoints: p }) => setMetrics((list) => [...list, p]), [id]);

  return (
    <div class="detail" data-evaluation={id}>
      <Panel title={<>{id} <StatusBadge status={current.status} /></>} extra={<Live state={eventsLive} />} id="summary">
        <dl class="facts wide">
          <dt>Language</dt><dd>{current.language}</dd>
          <dt>Created</dt><dd>{time(current.createdAt)}</dd>
          <dt>Started</dt><dd>{time(current.startedAt)}</dd>
          <dt>Completed</dt><dd>{time(current.completedAt)}</dd>
          <dt>Runtime</dt><dd>{duration(current.runtimeMs)}</dd>
          <dt>Retries</dt><dd>{current.retries}</dd>
          <dt>Stored in</dt><dd>{current.storedIn}</dd>
          {current.running && <><dt>Running on</dt><dd>{current.running.host ?? '–'} {current.running.containerId ?? ''} (heartbeat {time(current.running.heartbeatAt)})</dd></>}
          {current.celeryTaskId && <><dt>Celery task</dt><dd>{current.celeryTaskId}</dd></>}
          <dt>Task</dt>
          <dd id="task-link">{initial.task ? <a href={href.graph(initial.task.id)}>{initial.task.name} ({initial.task.id})</a> : <span class="muted">none</span>}</dd>
          {current.deletedAt && <><dt>Deleted</dt><dd>{time(current.deletedAt)}</dd></>}
        </dl>
        <details>
          <summary>Code and metadata</summary>
          <pre class="code">{initial.code}</pre>
          <pre class="code">{JSON.stringify(initial.metadata, null, 2)}</pre>
        </details>
      </Panel>
      <div class="columns">
        <div class="main">
          <Panel title="Metrics" extra={<Live state={metricsLive} />} id="metrics">
            <Charts metrics={metrics} />
          </Panel>
          <Panel title={`Log (last ${LOG_TAIL} lines, then live)`} extra={<Live state={logsLive} />} id="logs">
            <LogTail lines={lines} />
          </Panel>
          <Panel title="Output" id="output">
            <StoredTextView text={current.output} which="output" />
            {current.error && <><h3>Error</h3><StoredTextView text={current.error} which="error" /></>}
          </Panel>
        </div>
        <aside class="side">
          <Panel title={`Timeline (${events.length})`} id="timeline">
            <Timeline events={events} />
          </Panel>
        </aside>
      </div>
    </div>
  );
}

function Charts({ metrics }: { metrics: readonly Metric[] }) {
  const byName = new Map<string, { unit: string | null; points: Point[] }>();
  for (const m of metrics) {
    const series = byName.get(m.name) ?? { unit: m.unit, points: [] };
    series.points.push(m);
    byName.set(m.name, series);
  }
  if (byName.size === 0) return <p class="muted">No metrics recorded.</p>;
  return (
    <div class="charts">
      {[...byName].map(([name, s]) => <MetricChart name={name} unit={s.unit} points={s.points} />)}
    </div>
  );
}

function LogTail({ lines }: { lines: readonly LogLine[] }) {
  const box = useRef<HTMLPreElement>(null);
  // Follow the end unless the reader scrolled up.
  const pinned = useRef(true);
  useEffect(() => {
    if (pinned.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines.length]);
  if (lines.length === 0) return <p class="muted" id="log-empty">No log lines yet.</p>;
  return (
    <pre class="log" ref={box} onScroll={(e) => (pinned.current = e.currentTarget.scrollTop + e.currentTarget.clientHeight >= e.currentTarget.scrollHeight - 8)}>
      {lines.map((l) => (
        <div class={`line ${l.stream}`} data-seq={l.seq} key={l.seq}>
          <span class="seq">{l.seq}</span>
          <span class="ts">{time(l.timestamp).slice(11)}</span>
          {l.stream !== 'stdout' && <span class="stream">{l.stream}</span>}
          <span class="text">{l.text}</span>
        </div>
      ))}
    </pre>
  );
}

/** The timeline, oldest first; status changes stand out as the evaluation's steps. */
function Timeline({ events }: { events: readonly Event[] }) {
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li class={`ev ${e.type}`} data-type={e.type} key={e.id}>
          <span class="dot" />
          <span class="when">{time(e.timestamp)}</span>
          <span class="what">
            <b>{e.type}</b> {e.message}
          </span>
        </li>
      ))}
    </ol>
  );
}
