#!/usr/bin/env node
// `npm test`: checks that generated files match the schema, then runs every test/**/*.test.ts
// file with Node's test runner (each file in its own process, two at a time).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const filter = process.argv.slice(2);
const files = findTests('test')
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filter.join(' ')}`);
  process.exit(1);
}

const drift = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/codegen-check.ts'], { stdio: 'inherit' });
if (drift.status !== 0) process.exit(drift.status ?? 1);

console.log(`Running ${files.length} test files${process.env.CI === 'true' ? ' (CI=true: a missing service fails the run)' : ''}`);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files],
  { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);
