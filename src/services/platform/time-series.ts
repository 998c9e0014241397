import type { SeriesBackend, SeriesPointRecord } from '../../backends/platform-types.ts';
import type { Config } from '../../config.ts';
import { checkKey, checkWholeNumber } from '../../domain/keys.ts';
import { checkTimeRange } from '../../domain/validate.ts';
import { BadUserInputError } from '../../errors.ts';

export interface SeriesArgs {
  /** Inclusive. */
  from?: Date | null;
  /** Inclusive. */
  to?: Date | null;
  /** Only the newest `last` points within from..to (at most SERIES_MAX_POINTS). */
  last?: number | null;
}

/**
 * Named time series (seed 000's TimeSeriesStore): each keeps its newest SERIES_MAX_POINTS points
 * by timestamp and expires SERIES_TTL_SECONDS after its latest write. The same value at the same
 * millisecond is stored once.
 */
export class TimeSeries {
  constructor(
    private readonly backend: SeriesBackend,
    private readonly config: Config,
  ) {}

  async add(name: string, value: number, timestamp?: Date | null): Promise<true> {
    this.#name(name);
    if (!Number.isFinite(value)) throw new BadUserInputError(`value must be a finite number (got ${value}).`, { field: 'value' });
    const at = timestamp ?? new Date();
    if (Number.isNaN(at.getTime())) throw new BadUserInputError('timestamp is not a valid date.', { field: 'timestamp' });
    const { seriesMaxPoints, seriesTtlSeconds } = this.config.platform;
    await this.backend.add(name, { value, timestamp: at }, seriesMaxPoints, seriesTtlSeconds);
    return true;
  }

  /** Points oldest first. */
  async range(name: string, args: SeriesArgs = {}): Promise<SeriesPointRecord[]> {
    this.#name(name);
    checkTimeRange('from', args.from, 'to', args.to);
    const last = args.last == null ? undefined : checkWholeNumber('last', args.last, this.config.platform.seriesMaxPoints, 'SERIES_MAX_POINTS');
    if (last === 0) return [];
    return this.backend.range(name, { from: args.from ?? undefined, to: args.to ?? undefined, last });
  }

  #name(name: string): string {
    return checkKey('name', name, this.config.platform.kvMaxKeyBytes);
  }
}
