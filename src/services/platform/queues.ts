import type { QueueBackend } from '../../backends/platform-types.ts';
import type { Config } from '../../config.ts';
import { checkJsonValue } from '../../domain/json-value.ts';
import { checkKey, checkWholeNumber } from '../../domain/keys.ts';
import { BadUserInputError } from '../../errors.ts';

export interface QueueInfo {
  name: string;
  length: number;
}

/**
 * FIFO work queues (seed 002's QueueStore): items are JSON, each delivered to exactly one popper.
 * `pop` waits up to `timeoutMs` for an item (omitted: 0, do not wait) and answers null when none
 * came; a wait longer than QUEUE_MAX_WAIT_MS is refused rather than cut short, so a caller never
 * mistakes a clipped wait for an empty queue.
 */
export class Queues {
  constructor(
    private readonly backend: QueueBackend,
    private readonly config: Config,
  ) {}

  /** Returns the queue's length after the push. */
  async push(name: string, item: unknown): Promise<number> {
    this.#name(name);
    if (item === null || item === undefined) {
      throw new BadUserInputError(`item must not be ${item}: a pop answers null when the queue is empty.`, { field: 'item' });
    }
    const payload = JSON.stringify(checkJsonValue('item', item));
    const max = this.config.platform.kvMaxValueBytes;
    const bytes = Buffer.byteLength(payload, 'utf8');
    if (bytes > max) {
      throw new BadUserInputError(`item is ${bytes} bytes as JSON; the limit is ${max} bytes (KV_MAX_VALUE_BYTES).`, { field: 'item', limit: max });
    }
    return this.backend.push(name, payload);
  }

  async pop(name: string, timeoutMs?: number | null): Promise<unknown> {
    this.#name(name);
    const wait = checkWholeNumber('timeoutMs', timeoutMs ?? 0, this.config.platform.queueMaxWaitMs, 'QUEUE_MAX_WAIT_MS');
    const payload = await this.backend.pop(name, wait);
    return payload === null ? null : JSON.parse(payload);
  }

  async length(name: string): Promise<number> {
    return this.backend.length(this.#name(name));
  }

  async info(name: string): Promise<QueueInfo> {
    return { name, length: await this.length(name) };
  }

  #name(name: string): string {
    return checkKey('name', name, this.config.platform.kvMaxKeyBytes);
  }
}
