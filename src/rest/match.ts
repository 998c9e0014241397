import { decodeId } from '../http/responses.ts';
import { RestRequestError } from './errors.ts';
import type { RestRoute } from './routes.ts';

export type Match = { route: RestRoute; params: Record<string, string> } | { allowed: string[] } | null;

/** A route's path template as segments: literals, or `{name}` parameters. */
const segmentsOf = (path: string) => path.split('/');

function fits(template: string[], segments: string[]): boolean {
  return template.length === segments.length && template.every((t, i) => t.startsWith('{') || t === segments[i]);
}

/**
 * The route for a method and path; `{ allowed }` when the path is a route's but the method is not
 * (405). Routes served elsewhere (`servedBy`) never match: their own plugins answer them. Literal
 * segments win over parameters because the table lists them first.
 */
export function matchRoute(routes: readonly RestRoute[], method: string, pathname: string): Match {
  const segments = pathname.split('/');
  const fitting = routes.filter((r) => fits(segmentsOf(r.path), segments));
  if (fitting.length === 0 || fitting.every((r) => r.servedBy)) return null;
  const route = fitting.find((r) => r.method === method && !r.servedBy);
  if (!route) {
    // A path that also names a route served elsewhere (/evaluations/{id}/output) is that route's.
    if (fitting.some((r) => r.servedBy)) return null;
    return { allowed: [...new Set(fitting.map((r) => r.method))] };
  }
  const template = segmentsOf(route.path);
  const params: Record<string, string> = {};
  template.forEach((t, i) => {
    if (t.startsWith('{')) params[t.slice(1, -1)] = param(t.slice(1, -1), segments[i]!);
  });
  return { route, params };
}

const BACKEND = /^[a-z0-9_-]{1,64}$/i;

/** Path parameters are checked before anything runs: ids as GraphQL checks them, backend names by shape. */
function param(name: string, raw: string): string {
  if (name === 'backend') {
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      throw new RestRequestError('The backend in the URL is not valid percent-encoding.');
    }
    if (!BACKEND.test(value)) throw new RestRequestError(`A backend name is 1-64 letters, digits, "_" or "-" (got ${JSON.stringify(value.slice(0, 40))}).`);
    return value;
  }
  try {
    return decodeId(raw);
  } catch (err) {
    throw new RestRequestError((err as Error).message);
  }
}
