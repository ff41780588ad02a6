/**
 * V8 heap limits both servers run with (the bins' shebangs, `npm run backend|proxy`, the demo
 * and the benchmarks). By default V8 lets the heap grow lazily towards gigabytes before
 * collecting hard: the backend peaked at ~195 MB RSS under the benchmark. With these it peaked
 * at ~117 MB at the same throughput (docs/benchmarks.md); live data stays under ~30 MB.
 * Keep in step with bin/confera-backend.js, bin/confera-proxy.js and package.json's scripts.
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=8'];
