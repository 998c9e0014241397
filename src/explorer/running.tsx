import { useState } from 'preact/hooks';
import { ExplorerRunningDocument, OnRunningEvaluationsDocument, type EvaluationRowFragment, type RunningChangeKind } from '../client/generated.ts';
import { useQuery, useSubscription } from './api.ts';
import { ErrorBox, Live, Panel, StatusBadge } from './common.tsx';
import { time } from './format.ts';
import { href } from './router.ts';

export interface Changed {
  kind: RunningChangeKind;
  evaluation: EvaluationRowFragment;
}

const SHOWN = 50;

/**
 * The RUNNING evaluations, live: subscribe to runningEvaluations, then query the list, and apply
 * each change by id (the order the schema asks for, so nothing between the two is missed).
 * Evaluations that finish stay listed for a while under "Just finished".
 */
export function RunningPanel({ onChange }: { onChange(change: Changed): void }) {
  const [changes, setChanges] = useState<Map<string, Changed>>(new Map());
  const state = useSubscription(OnRunningEvaluationsDocument, () => ({}), ({ runningEvaluations: change }) => {
    setChanges((m) => new Map(m).set(change.evaluation.id, change));
    onChange(change);
  }, []);
  const list = useQuery(ExplorerRunningDocument, {}, state !== 'connecting');

  const running = new Map((list.data?.runningEvaluations ?? []).map((e) => [e.id, e]));
  const finished: EvaluationRowFragment[] = [];
  for (const { kind, evaluation } of changes.values()) {
    if (kind === 'FINISHED') {
      running.delete(evaluation.id);
      finished.push(evaluation);
    } else running.set(evaluation.id, evaluation);
  }
  const rows = [...running.values()];
  return (
    <Panel title={<>Running <span class="muted" data-running-count={rows.length}>({rows.length})</span></>} extra={<Live state={state} />} id="running">
      {list.error && <ErrorBox error={list.error} />}
      <ul class="running">
        {rows.slice(0, SHOWN).map((e) => (
          <li data-id={e.id} key={e.id}>
            <a href={href.evaluation(e.id)}>{e.id}</a>
            <span class="muted small">{e.running?.host ?? 'no worker report'} · {e.language} · started {time(e.startedAt).slice(0, 16)}</span>
          </li>
        ))}
        {rows.length > SHOWN && <li class="muted">and {rows.length - SHOWN} more</li>}
        {list.data && rows.length === 0 && <li class="muted">Nothing is running.</li>}
      </ul>
      {finished.length > 0 && (
        <>
          <h3>Just finished</h3>
          <ul class="running finished">
            {finished.slice(-10).reverse().map((e) => (
              <li data-id={e.id} key={e.id}>
                <a href={href.evaluation(e.id)}>{e.id}</a> <StatusBadge status={e.status} />
              </li>
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
