/**
 * `npm run bench` (after `npm run build`): prints the figures recorded in docs/benchmarks.md.
 * One noisy run on the machine at hand; a report, never a gate.
 */
import { runBackendBench } from './backend.js';
import { runPostgresBench } from './postgres.js';
import { runProxyBench } from './proxy.js';
import { runWidgetBench } from './widget.js';

console.log(`# Confera benchmarks (${new Date().toISOString()}, ${process.version})`);
await runBackendBench();
await runPostgresBench();
await runProxyBench();
await runWidgetBench();
