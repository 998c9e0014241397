import { useAuth } from './api.ts';
import { EvaluationView } from './detail.tsx';
import { EvaluationsView } from './evaluations.tsx';
import { GraphView } from './graph.tsx';
import { KeyPrompt } from './key-prompt.tsx';
import { href, useRoute } from './router.ts';
import { StorageView } from './storage.tsx';

export function App() {
  const route = useRoute();
  const auth = useAuth();
  const tab = (view: string, target: string, label: string) => (
    <a href={target} class={route.view === view ? 'on' : ''}>{label}</a>
  );
  return (
    <>
      <header class="top">
        <a class="brand" href={href.evaluations()}>Strata <span>Storage Explorer</span></a>
        <nav>
          {tab('evaluations', href.evaluations(), 'Evaluations')}
          {tab('storage', href.storage(), 'Storage')}
          <a href="/graphql" target="_blank" rel="noopener">GraphQL</a>
        </nav>
      </header>
      <main key={auth.version}>
        {route.view === 'evaluations' && <EvaluationsView />}
        {route.view === 'evaluation' && <EvaluationView id={route.id!} />}
        {route.view === 'graph' && <GraphView id={route.id!} depth={Math.min(4, Math.max(1, Number(route.params.get('depth')) || 2))} />}
        {route.view === 'storage' && <StorageView />}
      </main>
      {auth.keyNeeded && <KeyPrompt hasKey={auth.hasKey} />}
    </>
  );
}
