#!/usr/bin/env node
// The sources are TypeScript run through tsx: no build step between `npm ci` and `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
