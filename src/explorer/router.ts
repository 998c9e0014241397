import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes, so the gateway serves one page for every view and a reload keeps the view:
 * #/ (evaluations), #/evaluations/<id>, #/graph/<vertex id>?depth=2, #/storage.
 */
export interface Route {
  view: 'evaluations' | 'evaluation' | 'graph' | 'storage';
  id?: string;
  params: URLSearchParams;
}

export function parse(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  if (parts[0] === 'evaluations' && parts[1]) return { view: 'evaluation', id: parts[1], params };
  if (parts[0] === 'graph' && parts[1]) return { view: 'graph', id: parts[1], params };
  if (parts[0] === 'storage') return { view: 'storage', params };
  return { view: 'evaluations', params };
}

export const href = {
  evaluations: () => '#/',
  evaluation: (id: string) => `#/evaluations/${encodeURIComponent(id)}`,
  graph: (id: string, depth?: number) => `#/graph/${encodeURIComponent(id)}${depth ? `?depth=${depth}` : ''}`,
  storage: () => '#/storage',
};

export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return parse(hash);
}
