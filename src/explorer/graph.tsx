import { ExplorerGraphDocument, ExplorerTaskDocument, type ExplorerGraphQuery } from '../client/generated.ts';
import { useQuery } from './api.ts';
import { ErrorBox, Panel, StatusBadge } from './common.tsx';
import { time } from './format.ts';
import { href } from './router.ts';

type Path = ExplorerGraphQuery['traverse'][number];
type Vertex = Path['vertices'][number];
type Edge = Path['edges'][number];

const DEPTHS = [1, 2, 3, 4];
const LIMIT = 500;
const COL = 190;
const ROW = 44;

/** Vertices and edges of every path, each once. */
function collect(paths: readonly Path[]) {
  const vertices = new Map<string, Vertex>();
  const edges = new Map<string, Edge>();
  for (const p of paths) {
    for (const v of p.vertices) vertices.set(v.id, v);
    for (const e of p.edges) edges.set(e.id, e);
  }
  return { vertices, edges };
}

/**
 * Columns by distance from the start vertex (breadth-first over edges in both directions), rows
 * in id order within a column: a small layered layout, enough for the neighbourhood of one task.
 */
function layout(start: string, vertices: Map<string, Vertex>, edges: Map<string, Edge>) {
  const depth = new Map<string, number>([[start, 0]]);
  const queue = [start];
  const around = new Map<string, string[]>();
  for (const e of edges.values()) {
    around.set(e.from, [...(around.get(e.from) ?? []), e.to]);
    around.set(e.to, [...(around.get(e.to) ?? []), e.from]);
  }
  while (queue.length) {
    const id = queue.shift()!;
    for (const next of around.get(id) ?? []) if (!depth.has(next)) depth.set(next, depth.get(id)! + 1), queue.push(next);
  }
  const columns: string[][] = [];
  for (const id of [...vertices.keys()].sort()) (columns[depth.get(id) ?? 0] ??= []).push(id);
  const at = new Map<string, { x: number; y: number }>();
  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  columns.forEach((column, c) => column?.forEach((id, r) => at.set(id, { x: 90 + c * COL, y: 30 + (r + (tallest - column.length) / 2) * ROW })));
  return { at, width: 90 + Math.max(1, columns.length) * COL, height: 30 + tallest * ROW };
}

export function GraphView({ id, depth }: { id: string; depth: number }) {
  const graph = useQuery(ExplorerGraphDocument, { from: id, maxDepth: depth, limit: LIMIT });
  const task = useQuery(ExplorerTaskDocument, { id });
  const paths = graph.data?.traverse ?? [];
  const { vertices, edges } = collect(paths);
  const { at, width, height } = layout(id, vertices, edges);
  const label = (v: Vertex) => (v.__typename === 'Task' ? v.name : v.id);

  return (
    <div class="columns">
      <div class="main">
        <Panel
          title={<>Graph around {id}</>}
          extra={
            <label class="depth">
              Depth{' '}
              <select name="depth" value={depth} onChange={(e) => (location.hash = href.graph(id, Number(e.currentTarget.value)))}>
                {DEPTHS.map((d) => <option value={d}>{d}</option>)}
              </select>
            </label>
          }
          id="graph"
        >
          {graph.error && <ErrorBox error={graph.error} />}
          {graph.data && (
            <p class="muted" data-vertices={vertices.size} data-edges={edges.size}>
              {vertices.size} vertices, {edges.size} edges{paths.length >= LIMIT ? ` (first ${LIMIT} paths)` : ''}. Click a vertex to center on it.
            </p>
          )}
          <div class="graph-box">
            <svg class="graph" width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
              <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                  <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
              </defs>
              {[...edges.values()].map((e) => {
                const a = at.get(e.from);
                const b = at.get(e.to);
                if (!a || !b) return null;
                const mx = (a.x + b.x) / 2;
                const my = (a.y + b.y) / 2;
                return (
                  <g class="edge" data-edge={e.id} key={e.id}>
                    <line x1={a.x} y1={a.y} x2={b.x - Math.sign(b.x - a.x) * 12} y2={b.y} marker-end="url(#arrow)" />
                    <text x={mx} y={my - 4} text-anchor="middle">{e.type}</text>
                  </g>
                );
              })}
              {[...vertices.values()].map((v) => {
                const p = at.get(v.id)!;
                return (
                  <a href={href.graph(v.id, depth)} key={v.id}>
                    <g class={`vertex ${v.__typename.toLowerCase()} ${v.id === id ? 'start' : ''}`} data-vertex={v.id}>
                      {v.__typename === 'Task' ? <rect x={p.x - 10} y={p.y - 10} width="20" height="20" rx="4" /> : <circle cx={p.x} cy={p.y} r="10" />}
                      <text x={p.x} y={p.y + 24} text-anchor="middle">{label(v).length > 24 ? `${label(v).slice(0, 23)}…` : label(v)}</text>
                      <title>{`${v.__typename} ${v.id}`}</title>
                    </g>
                  </a>
                );
              })}
            </svg>
          </div>
          <p class="legend muted"><span class="key task" /> task <span class="key result" /> result; arrows point from → to.</p>
        </Panel>
      </div>
      <aside class="side">
        <Panel title="Task" id="task">
          {task.data?.task ? (
            <>
              <dl class="facts">
                <dt>Name</dt><dd>{task.data.task.name}</dd>
                <dt>Status</dt><dd>{task.data.task.status ?? '–'}</dd>
                <dt>Created</dt><dd>{time(task.data.task.createdAt)}</dd>
              </dl>
              <h3>Evaluations</h3>
              <ul class="running">
                {task.data.task.evaluations.map((e) => <li key={e.id}><a href={href.evaluation(e.id)}>{e.id}</a> <StatusBadge status={e.status} /></li>)}
                {task.data.task.evaluations.length === 0 && <li class="muted">None.</li>}
              </ul>
            </>
          ) : (
            task.data && <p class="muted">{id} is a result, not a task.</p>
          )}
        </Panel>
      </aside>
    </div>
  );
}
