import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { UNLIMITED } from '../backends/rate-limit.ts';
import type { AppDeps, StrataContext } from '../context.ts';
import { RateLimitedError } from '../errors.ts';
import { metrics } from '../observability/metrics.ts';

/** Callers without a key (only possible when keys are configured) share one bucket. */
const ANONYMOUS_BUCKET = '(anonymous)';

async function refusal(ctx: StrataContext): Promise<ExecutionResult | null> {
  const limiter = ctx.registry.rateLimiter;
  if (limiter === UNLIMITED) return null;
  const { allowed, retryAfterMs } = await limiter.take(ctx.caller.keyName ?? ANONYMOUS_BUCKET);
  if (allowed) return null;
  metrics.rateLimited.inc();
  return { errors: [new RateLimitedError(Math.max(1, Math.ceil(retryAfterMs / 1000)))] };
}

/**
 * Per-key rate limiting (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST): each operation, query,
 * mutation or subscription, takes one token from its API key's bucket before it runs (so a batch
 * of ten takes ten). An empty bucket answers RATE_LIMITED with HTTP 429 and `Retry-After`, and
 * nothing runs. Its buckets are in `registry.rateLimiter` (Redis or memory). Runs in onExecute and
 * onSubscribe, so any path through `yoga.getEnveloped` applies it. Without limits (no keys, or
 * RATE_LIMIT_PER_SECOND=0) it installs no hook: an async hook that does nothing would still make
 * every execution wait a turn of promises.
 */
export function useRateLimit(deps: Pick<AppDeps, 'registry'>): Plugin<StrataContext> {
  if (deps.registry.rateLimiter === UNLIMITED) return {};
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const refused = await refusal(args.contextValue as StrataContext);
      if (refused) setResultAndStopExecution(refused);
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const refused = await refusal(args.contextValue as StrataContext);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
