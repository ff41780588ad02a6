import express from 'express';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { seedConference, startBackend } from '../test/helpers/backend.js';
import { startProxy } from '../test/proxy/support.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.BENCH_WIDGET_RUNS ?? 25);

/** Runs in the page (a string: this file has Node's types, not the DOM's). */
const MEASURE = `addEventListener('confera-ready', async (event) => {
  const el = event.target;
  const readyAt = performance.now();
  await el.updateComplete;
  if (!el.shadowRoot.querySelector('form')) return;
  const now = performance.now();
  const config = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/registration'));
  if (window.figures) { window.again = now - readyAt; return; }
  window.figures = [now - config.responseEnd, now - readyAt];
  el.reload();
});`;

export interface WidgetBenchResult {
  bytes: { raw: number; gzip: number; brotli: number };
  renderMs: Record<string, { median: number; p95: number }>;
}

const sizes = (file: string) => {
  const code = readFileSync(file);
  return {
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
  return { median: at(0.5), p95: at(0.95) };
};

/**
 * The built bundle's bytes, and in headless Chromium the time from the config response's
 * last byte (Resource Timing) to the form in the shadow root (Lit's `updateComplete`): the
 * widget's own work on a config, parse to DOM (issue 16's aim: under 16 ms, one frame).
 * Fresh pages on another origin than the proxy, as on a customer's site; then the same page
 * renders the form again after `reload()` (loading state in between), warm.
 */
export async function runWidgetBench(): Promise<WidgetBenchResult> {
  const backend = await startBackend();
  const { apiKey } = await seedConference(backend.store);
  let proxyUrl = '';
  const site = express();
  site.get('/', (req, res) => {
    const lang = String(req.query.lang ?? 'en');
    res.type('html').send(`<!doctype html><html lang="${lang}"><body>
<script type="module" src="${proxyUrl}/widget/confera-registration.js"></script>
<confera-registration endpoint="${proxyUrl}/api/registration"></confera-registration></body></html>`);
  });
  const server = site.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const proxy = await startProxy({
    backendUrl: backend.url,
    apiKey,
    widgetFile: `${ROOT}dist/widget/confera-registration.js`,
    config: { allowedOrigins: [siteUrl] },
  });
  proxyUrl = proxy.url;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const renderMs: WidgetBenchResult['renderMs'] = {};
    for (const lang of ['en', 'de']) {
      const times: number[] = [];
      const renders: number[] = [];
      const again: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const page = await browser.newPage();
        await page.addInitScript({ content: MEASURE });
        await page.goto(`${siteUrl}/?lang=${lang}`);
        const [total, render] = (await (await page.waitForFunction('window.figures')).jsonValue()) as number[];
        times.push(total!);
        renders.push(render!);
        again.push((await (await page.waitForFunction('window.again')).jsonValue()) as number);
        await page.close();
      }
      renderMs[lang] = stats(times);
      renderMs[`${lang}, Lit's render alone`] = stats(renders);
      renderMs[`${lang}, rendering it again (reload())`] = stats(again);
    }
    const result = { bytes: sizes(`${ROOT}dist/widget/confera-registration.js`), renderMs };
    console.log('\n## Widget\n');
    console.log(`bundle: ${result.bytes.raw} B raw, ${result.bytes.gzip} B gzip, ${result.bytes.brotli} B brotli (budget 16,384 B gzip)`);
    console.log('| page | config response → form rendered, median ms | p95 ms |');
    console.log('| --- | ---: | ---: |');
    for (const [lang, figures] of Object.entries(renderMs))
      console.log(`| lang=${lang} (${RUNS} fresh pages) | ${figures.median} | ${figures.p95} |`);
    return result;
  } finally {
    await browser.close();
    server.close();
    await proxy.close();
    await backend.close();
  }
}
