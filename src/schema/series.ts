import type { SeriesPointRecord } from '../backends/platform-types.ts';
import { addSeriesPoint, seriesPoints } from '../resolvers/platform.ts';
import { builder } from './builder.ts';

const SeriesPointRef = builder.objectRef<SeriesPointRecord>('SeriesPoint').implement({
  description: 'One point of a named time series.',
  fields: (t) => ({
    value: t.exposeFloat('value'),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  series: t.field({
    type: [SeriesPointRef],
    description: 'Points oldest first. A series keeps its newest SERIES_MAX_POINTS points and expires SERIES_TTL_SECONDS after its latest write.',
    args: {
      name: t.arg.string({ required: true }),
      from: t.arg({ type: 'DateTime', description: 'Inclusive.' }),
      to: t.arg({ type: 'DateTime', description: 'Inclusive.' }),
      last: t.arg.int({ description: 'Only the newest `last` points within from..to (at most SERIES_MAX_POINTS).' }),
    },
    resolve: (_, { name, ...args }, ctx) => seriesPoints(ctx, name, args),
  }),
}));

builder.mutationFields((t) => ({
  addSeriesPoint: t.boolean({
    description: 'Adds a point; the same value at the same millisecond is stored once.',
    args: {
      name: t.arg.string({ required: true }),
      value: t.arg.float({ required: true }),
      timestamp: t.arg({ type: 'DateTime', description: 'Defaults to the time of the request.' }),
    },
    resolve: (_, { name, value, timestamp }, ctx) => addSeriesPoint(ctx, name, value, timestamp),
  }),
}));
