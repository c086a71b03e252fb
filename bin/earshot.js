#!/usr/bin/env node
// The CLI entry point. The TypeScript sources are compiled to dist/ by `npm ci` (the `prepare`
// script) or `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('earshot is not built yet: run `npm run build` (npm ci does it for you).');
  process.exit(1);
}
await import(entry.href);
