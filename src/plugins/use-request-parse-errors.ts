import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * A request whose parameters are not valid JSON is the client's mistake, so it gets 400
 * BAD_REQUEST. Yoga's GET parser passes `?variables=` and `?extensions=` to JSON.parse unguarded,
 * so without this a malformed query string answered 500 (found by the fuzz test).
 */
export function useRequestParseErrors(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (err) {
          if (!(err instanceof SyntaxError)) throw err;
          throw createGraphQLError(`The request's parameters are not valid JSON: ${err.message}`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
      });
    },
  };
}
