import type { ComponentChildren } from 'preact';
import type { StrataClientError } from '../client/index.ts';
import type { LiveState } from './api.ts';

export const StatusBadge = ({ status }: { status: string }) => <span class={`badge s-${status.toLowerCase()}`} data-status={status}>{status}</span>;

export const Live = ({ state, label = 'live' }: { state: LiveState; label?: string }) => (
  <span class={`live live-${state}`} data-live={state} title={`subscription: ${state}`}>
    {state === 'live' ? label : state}
  </span>
);

/** An error from the API, with its code; FORBIDDEN says which scope is missing. */
export const ErrorBox = ({ error, children }: { error: StrataClientError; children?: ComponentChildren }) => (
  <div class="error" data-code={error.code} role="alert">
    <strong>{error.code}</strong> {error.message}
    {children}
  </div>
);

export const Panel = ({ title, extra, children, id }: { title: ComponentChildren; extra?: ComponentChildren; children: ComponentChildren; id?: string }) => (
  <section class="panel" id={id}>
    <header>
      <h2>{title}</h2>
      {extra}
    </header>
    {children}
  </section>
);
