// `npm run build:explorer`: builds the Storage Explorer exactly as the gateway does at run time
// (src/http/explorer-bundle.ts) and writes it to dist/explorer, with each file's size, raw and
// gzipped. The gateway never needs this: it builds the bundle in memory as it starts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildExplorer } from '../src/http/explorer-bundle.ts';

const out = 'dist';
const bundle = await buildExplorer();
const files = [['/explorer/index.html', bundle.index] as const, ...bundle.assets];
let raw = 0;
let gzip = 0;
for (const [path, file] of files) {
  const target = join(out, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.body);
  raw += file.body.byteLength;
  gzip += file.gzip.byteLength;
  console.log(`${target.padEnd(48)} ${String(file.body.byteLength).padStart(8)} B  ${String(file.gzip.byteLength).padStart(7)} B gzip`);
}
console.log(`${'total'.padEnd(48)} ${String(raw).padStart(8)} B  ${String(gzip).padStart(7)} B gzip`);
