#!/usr/bin/env node
// `npm start`: the local runtime (HTTP server, SQLite store, durable queue,
// demo data or a real Jira site). TypeScript runs through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { runFromCommandLine } = await import(new URL('../src/local/main.ts', import.meta.url).href);
await runFromCommandLine();
