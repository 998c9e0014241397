import { z } from 'zod';
import { int } from './config-values.ts';

/**
 * Environment variables of subscriptions (issue 6). config.ts merges them into its schema, so they
 * are validated, named in errors and documented like the rest.
 */
export const subscriptionEnv = {
  SUBSCRIPTION_BUFFER: int(1, 100_000).default(1000),
  WS_KEEP_ALIVE_MS: int(0, 3_600_000).default(12_000),
};

type SubscriptionEnv = z.infer<z.ZodObject<typeof subscriptionEnv>>;

/** Live subscriptions (GraphQL over SSE and over WebSocket). */
export interface SubscriptionConfig {
  /**
   * Changes one subscriber may have waiting (published but not yet sent, because its connection
   * is slower than the changes arrive). One more ends that subscription with a
   * SUBSCRIPTION_OVERFLOW error, and the client resumes from the last seq or cursor it saw;
   * the others are never held up. One appendLogs call's lines count as one change.
   * @default 1000
   */
  buffer: number;
  /**
   * WebSocket ping interval; a connection that does not answer within the same time is closed.
   * 0 turns pings off. (SSE streams carry a comment line every 12 s, fixed by graphql-yoga.)
   * @default 12000
   */
  wsKeepAliveMs: number;
}

export function subscriptionConfig(e: SubscriptionEnv): SubscriptionConfig {
  return { buffer: e.SUBSCRIPTION_BUFFER, wsKeepAliveMs: e.WS_KEEP_ALIVE_MS };
}
