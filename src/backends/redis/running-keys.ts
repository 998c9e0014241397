/**
 * Redis keys of running evaluations and their log tails (seed 004's `eval:{id}:running`,
 * `running_evaluations` and `logs:{id}:latest`, under KEY_PREFIX). In the seed, `{id}` stands for
 * the id; here the braces are Redis Cluster hash tags, and they say which keys share a slot:
 *
 * - Tag "{running}": the running set, every evaluation's running hash, the "built" marker and the
 *   generation counter. The
 *   list script reads the set, checks the marker and reads each member's hash in one call (one
 *   round trip for runningEvaluations), and the write scripts update a hash and the set together;
 *   a script may only touch keys of one slot, so they all share it. The script builds hash names
 *   from ARGV (it cannot know the members in advance), which Cluster allows because every one of
 *   them carries the same tag as the declared keys. Cost: the running set lives on one shard,
 *   which is fine for what it holds (one small hash per evaluation that is running right now).
 * - Tag "{<evaluation id>}": an evaluation's log tail, alone. Every tail command touches that one
 *   key, so tails spread over all shards; they hold the bulk of the data (LOG_TAIL_LINES lines each).
 *
 * Ids cannot contain braces (checkId), and KEY_PREFIX may not either (config), so the tags above are
 * always the first braces of their key.
 */
export interface RunningKeys {
  /** The running_evaluations set of evaluation ids. */
  readonly set: string;
  /** Present once the set was filled from the primary store: without it the set may be incomplete. */
  readonly built: string;
  /** Counts failed writes: a rebuild marks the set complete only if none happened while it ran. */
  readonly generation: string;
  /** Running hash name = hashPrefix + id + hashSuffix (the list script builds names this way). */
  readonly hashPrefix: string;
  readonly hashSuffix: string;
  hash(evaluationId: string): string;
  /** Sorted set of the newest log lines, scored by seq. */
  logTail(evaluationId: string): string;
}

export function runningKeys(prefix: string): RunningKeys {
  const tagged = `${prefix}{running}:`;
  const hashPrefix = `${tagged}eval:`;
  const hashSuffix = ':running';
  return {
    set: `${tagged}running_evaluations`,
    built: `${tagged}built`,
    generation: `${tagged}generation`,
    hashPrefix,
    hashSuffix,
    hash: (id) => hashPrefix + id + hashSuffix,
    logTail: (id) => `${prefix}logs:{${id}}:latest`,
  };
}
