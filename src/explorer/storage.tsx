import { ExplorerHealthDocument, ExplorerStorageDocument } from '../client/generated.ts';
import { askForKey, useQuery } from './api.ts';
import { ErrorBox, Panel } from './common.tsx';
import { bytes } from './format.ts';

/** Metric names that hold byte counts, shown as sizes. */
const SIZE = /bytes|size/i;

function MetricList({ metrics }: { metrics: unknown }) {
  const entries = metrics && typeof metrics === 'object' ? Object.entries(metrics as Record<string, unknown>) : [];
  if (entries.length === 0) return <span class="muted">–</span>;
  return (
    <dl class="metrics">
      {entries.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>{v == null ? '–' : typeof v === 'number' && SIZE.test(k) ? bytes(v) : typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
        </>
      ))}
    </dl>
  );
}

/**
 * Every backend's health and latency (read scope), and with an admin key their sizes and the
 * fallback journal's depth. A key without admin gets FORBIDDEN for those: said so, the rest shown.
 */
export function StorageView() {
  const health = useQuery(ExplorerHealthDocument, {});
  const storage = useQuery(ExplorerStorageDocument, {});
  const forbidden = storage.error?.code === 'FORBIDDEN';
  const backends = storage.data?.storage.backends ?? health.data?.health.backends ?? [];
  const details = new Map((storage.data?.storage.backends ?? []).map((b) => [`${b.role}/${b.name}`, b.metrics]));
  return (
    <Panel
      title="Storage"
      extra={health.data && <span class={`badge h-${health.data.health.status}`} data-health={health.data.health.status}>{health.data.health.status}</span>}
      id="storage"
    >
      {health.error && <ErrorBox error={health.error} />}
      {forbidden && (
        <div class="notice" id="storage-forbidden">
          Sizes and the fallback journal need a key with the <b>admin</b> scope; this key has not. Health and latency are shown.{' '}
          <button type="button" class="link" onClick={askForKey}>Use another key</button>
        </div>
      )}
      {storage.error && !forbidden && <ErrorBox error={storage.error} />}
      {storage.data && (
        <p id="fallback" data-pending={storage.data.storage.fallbackPending}>
          Fallback journal: <b>{storage.data.storage.fallbackPending}</b> write{storage.data.storage.fallbackPending === 1 ? '' : 's'} waiting to be replayed.
        </p>
      )}
      <table class="grid" id="backends">
        <thead>
          <tr><th>Role</th><th>Backend</th><th>Kind</th><th>Health</th><th class="num">Latency</th><th>Sizes and counts</th></tr>
        </thead>
        <tbody>
          {backends.map((b) => (
            <tr data-backend={`${b.role}/${b.name}`} key={`${b.role}/${b.name}`}>
              <td>{b.role}</td>
              <td>{b.name}</td>
              <td>{b.kind}</td>
              <td><span class={`badge ${b.healthy ? 'h-ok' : 'h-down'}`}>{b.healthy ? 'healthy' : 'down'}</span></td>
              <td class="num">{b.latencyMs == null ? '–' : `${b.latencyMs.toFixed(1)} ms`}</td>
              <td>{forbidden ? <span class="muted">admin only</span> : <MetricList metrics={details.get(`${b.role}/${b.name}`)} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
