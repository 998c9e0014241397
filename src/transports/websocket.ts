import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { SubscriptionConfig } from '../config-subscriptions.ts';
import type { StrataYoga } from '../yoga.ts';

export interface WebSocketTransport {
  /** Operations running now, over every socket. */
  operations(): number;
  /**
   * Shutdown, after the subscriptions were told to complete: waits (up to `graceMs`) until every
   * operation has sent its `complete`, then closes each socket with 1001 (Going Away).
   */
  close(graceMs: number): Promise<void>;
}

type Envelope = ReturnType<StrataYoga['getEnveloped']>;
interface RootValue {
  execute: Envelope['execute'];
  subscribe: Envelope['subscribe'];
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the yoga endpoint's path of `server`, run
 * through yoga's envelop as yoga's documentation shows: every operation gets yoga's plugins and
 * context. API keys: `connectionParams.authorization` reaches createContext (context.ts), the one
 * place every transport authenticates; a bad key fails the operation with UNAUTHENTICATED.
 */
export function attachWebSockets(server: Server, yoga: StrataYoga, config: SubscriptionConfig): WebSocketTransport {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  let running = 0;
  let idle: (() => void) | null = null;
  const handle = useServer(
    {
      execute: (args) => (args.rootValue as RootValue).execute(args),
      subscribe: (args) => (args.rootValue as RootValue).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params });
        let document: ExecutionArgs['document'];
        let contextValue: unknown;
        try {
          document = parse(params.query);
          contextValue = await contextFactory();
        } catch (err) {
          // Syntax errors, UNAUTHENTICATED and other user errors end this operation only, as an `error` message.
          if (err instanceof GraphQLError) return [err];
          throw err;
        }
        const args: ExecutionArgs = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe } satisfies RootValue,
        };
        const errors = validate(args.schema, args.document);
        if (errors.length > 0) return errors;
        running++;
        return args;
      },
      onComplete: () => {
        if (--running === 0) idle?.();
      },
    },
    wss,
    config.wsKeepAliveMs,
  );
  return {
    operations: () => running,
    async close(graceMs) {
      if (running > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          idle = () => (clearTimeout(timer), resolve());
        });
      }
      // onComplete runs just before graphql-ws sends `complete`: let that send happen first.
      await new Promise((resolve) => setImmediate(resolve));
      const closing = handle.dispose();
      const cut = setTimeout(() => wss.clients.forEach((socket) => socket.terminate()), graceMs);
      await closing;
      clearTimeout(cut);
    },
  };
}
