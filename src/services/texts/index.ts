import type { BlobStore } from '../../backends/blob-types.ts';
import { createTextReader, type TextReader } from './read.ts';
import { createTextWriter, type RoutingOptions, type TextWriter } from './write.ts';

/** Size routing of output and error texts: writing (route, routeStream, discard) and reading. */
export interface TextStorage extends TextWriter, TextReader {
  readonly blobs: BlobStore;
  readonly options: RoutingOptions;
}

export function createTextStorage(blobs: BlobStore, options: RoutingOptions): TextStorage {
  return { blobs, options, ...createTextWriter(blobs, options), ...createTextReader(blobs, options.previewSize) };
}

export type { RoutingOptions } from './write.ts';
