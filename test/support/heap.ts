import { getHeapSnapshot } from 'node:v8';

/**
 * heapUsed (MiB) after V8 collected everything it can. A heap snapshot does that ("all available
 * garbage"): global.gc() alone leaves the compiled code of graphql-jit's `new Function`s, hundreds
 * of MB after a few hundred distinct documents that a real collection under pressure would free,
 * which made earlier fuzz runs look like a leak (152 -> 220 -> 287 MB).
 */
export async function heapAfterFullGcMb(): Promise<number> {
  for await (const _ of getHeapSnapshot()) {
    // the snapshot itself is not needed, only the collection it forces
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
}
