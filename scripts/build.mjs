#!/usr/bin/env node
// `npm run build [-- <outDir>]`: the optional production build. Compiles the server with
// tsconfig.build.json to <outDir>/src/**/*.js (default dist/), then copies next to it the non-TS
// files the server reads at run time, at the same relative paths, so `node dist/src/cli.js` finds
// them where `node bin/strata.js` (tsx) finds them in the repository. `npm start` needs none of this.
// Plain JavaScript so it runs without tsx, like the built server.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
// tsconfig.build.json says "dist" too; passing it always lets an argument override it.
const outDir = resolve(root, process.argv[2] ?? 'dist');
const inside = relative(root, outDir);
// Inside the repository, Node finds package.json ("type": "module") and node_modules/ from the
// emitted files by walking up, as it does from the sources; elsewhere the build would not run.
if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(/[\\/]/)[0] === 'node_modules') {
  console.error(`build: the output directory must be a subdirectory of ${root} outside node_modules (got ${outDir})`);
  process.exit(1);
}

/**
 * Read at run time relative to the reading module's own file (new URL(..., import.meta.url)):
 * found with `grep -rn "import.meta.url" src bin`. Add a path here when a new one appears.
 */
const RUNTIME_FILES = [
  // src/rest/documents.ts: the operations the REST routes run.
  'src/rest/operations.graphql',
  // src/http/explorer-bundle.ts: esbuild bundles the Storage Explorer from src/explorer/main.tsx
  // as the gateway starts. Its sources (explorerSources below) are copied; its tsconfig.json
  // extends the root one, and esbuild reads both for the JSX and import settings.
  'src/explorer/tsconfig.json',
  'tsconfig.json',
  // src/backends/postgres/migrate.ts: ../../../migrations from its own file.
  'migrations',
];

/**
 * Every source file the explorer bundle is made of, as esbuild resolves them: src/explorer and
 * the parts of src/client it imports (as .ts, which the emitted .js beside them do not replace).
 * Asked of esbuild rather than listed, so a new import cannot be forgotten.
 */
async function explorerSources() {
  const { build, stop } = await import('esbuild');
  try {
    const { metafile } = await build({ entryPoints: ['src/explorer/main.tsx'], absWorkingDir: root, bundle: true, write: false, metafile: true, outdir: 'unused', logLevel: 'silent' });
    return Object.keys(metafile.inputs).filter((path) => !path.startsWith('node_modules/'));
  } finally {
    await stop();
  }
}

// Only what this build writes: stale files of removed sources must not survive a rebuild, and
// `npm run build:explorer` keeps its output in dist/explorer.
for (const top of new Set(['src', ...RUNTIME_FILES.map((path) => path.split('/')[0])])) rmSync(resolve(outDir, top), { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', resolve(root, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

for (const path of [...RUNTIME_FILES, ...(await explorerSources())]) cpSync(resolve(root, path), resolve(outDir, path), { recursive: true });
const cli = relative(root, resolve(outDir, 'src/cli.js'));
console.log(`build: ${cli} and the files it reads; run it with \`node ${cli} serve\` (or any other strata command)`);
