import type { EvaluationStore } from '../backends/types.ts';
import type { EvaluationRecord } from '../domain/evaluation.ts';
import type { Logger } from '../logger.ts';
import type { AfterCommit } from '../services/after-commit.ts';
import { BoundedQueue } from './bounded-queue.ts';
import { noticesOf, type EvaluationNotice, type ResyncNotice, type RunningNotice } from './notices.ts';

/**
 * How notices reach every gateway process: an in-process EventTarget, or Redis pub/sub through
 * @graphql-yoga/redis-event-target (backends/feed.ts). Both deliver one event object to all of a
 * process's listeners of a topic, which lets the feed read an evaluation once per notice.
 */
export interface FeedTransport {
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener' | 'dispatchEvent'>;
  /** Resolves once a listener just added for `topic` receives everything published from now on. */
  listening(topic: string): Promise<void>;
  /** `callback` runs when notices may have been lost (Redis came back after an outage). */
  onResync(callback: () => void): void;
}

export type LiveNotice<T> = T | ResyncNotice;

/** A live subscription to one topic: its bounded inbox, and when it is known to be listening. */
export interface Live<T> {
  queue: BoundedQueue<LiveNotice<T>>;
  ready: Promise<void>;
}

export interface Feed {
  /** The after-commit listener: hands every committed change to subscribers, everywhere. */
  readonly publish: AfterCommit;
  evaluation(evaluationId: string): Live<EvaluationNotice>;
  running(): Live<RunningNotice>;
  /**
   * The evaluation as this process learnt of a change: the committed row when the change was made
   * here, else read once per notice for all subscribers (started when the notice arrives), so at
   * or after the change; a state superseded before the notice arrived may be skipped.
   */
  evaluationAt(notice: { evaluationId: string }): Promise<EvaluationRecord | null>;
  /** Live subscriptions open in this process. */
  openCount(): number;
  /** Completes every open subscription (after what is already queued): shutdown. */
  endAll(): void;
}

export interface FeedOptions {
  transport: FeedTransport;
  store: EvaluationStore;
  /** Per-subscriber bound (SUBSCRIPTION_BUFFER). */
  buffer: number;
  /** KEY_PREFIX: channel names share it, so test runs and deployments on one Redis stay apart. */
  prefix: string;
  logger: Logger;
}

const RESYNC: ResyncNotice = { kind: 'resync' };

export function createFeed(options: FeedOptions): Feed {
  const { transport, store, buffer, prefix, logger } = options;
  const open = new Set<Pick<BoundedQueue<ResyncNotice>, 'push' | 'close'>>();
  const read = new WeakMap<object, Promise<EvaluationRecord | null>>();
  const evaluationTopic = (id: string) => `${prefix}feed:evaluation:${id}`;
  const runningTopic = `${prefix}feed:running`;
  transport.onResync(() => open.forEach((queue) => queue.push(RESYNC)));

  function evaluationAt(notice: { evaluationId: string }): Promise<EvaluationRecord | null> {
    let pending = read.get(notice);
    if (!pending) {
      pending = store.getMany([notice.evaluationId]).then((found) => found.get(notice.evaluationId) ?? null);
      pending.catch(() => {}); // a subscriber that awaits it sees the error; one that left must not crash us
      read.set(notice, pending);
    }
    return pending;
  }

  function listen<T>(topic: string): Live<T> {
    const listener = (event: Event) => {
      const notice = (event as CustomEvent<T>).detail;
      // The first listener of a notice starts the read of the evaluation it names, as it arrives:
      // reads start in the order of the changes, so no subscriber sees an older state after a newer.
      if (isStateNotice(notice)) void evaluationAt(notice);
      queue.push(notice);
    };
    // Ending the queue (overflow, completion, client gone) releases the listener at once; the
    // Redis target unsubscribes the channel when its last listener in this process leaves.
    const queue: BoundedQueue<LiveNotice<T>> = new BoundedQueue(buffer, () => {
      transport.target.removeEventListener(topic, listener);
      open.delete(queue);
    });
    transport.target.addEventListener(topic, listener);
    open.add(queue);
    return { queue, ready: transport.listening(topic) };
  }

  function dispatch(topic: string, notice: object, record: EvaluationRecord | null): void {
    // In-process delivery hands this very object to the listeners: they need not read the row.
    if (record) read.set(notice, Promise.resolve(record));
    try {
      transport.target.dispatchEvent(new CustomEvent(topic, { detail: notice }));
    } catch (err) {
      logger.warn({ err, topic }, 'subscriptions: could not publish a change; subscribers catch up on their next change');
    }
  }

  return {
    publish: async (change) => {
      const { evaluation, running, record } = noticesOf(change);
      dispatch(evaluationTopic(evaluation.evaluationId), evaluation, record);
      if (running) dispatch(runningTopic, running, record);
    },
    evaluation: (id) => listen<EvaluationNotice>(evaluationTopic(id)),
    running: () => listen<RunningNotice>(runningTopic),
    evaluationAt,
    openCount: () => open.size,
    endAll: () => [...open].forEach((queue) => queue.close()),
  };
}

/** Notices whose subscribers show the evaluation's state (evaluationUpdated, runningEvaluations). */
function isStateNotice(notice: unknown): notice is { evaluationId: string } {
  const kind = (notice as { kind?: string }).kind;
  return kind === 'updated' || kind === 'heartbeat' || kind === 'STARTED' || kind === 'UPDATED' || kind === 'FINISHED';
}
