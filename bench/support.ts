import { readFileSync } from 'node:fs';
import autocannon, { type Request, type Result } from 'autocannon';

export interface LoadFigures {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

/** Runs autocannon and reduces its result to the figures the docs quote. */
export async function load(
  label: string,
  options: { url: string; connections: number; duration: number; requests?: Request[] },
): Promise<LoadFigures> {
  const result: Result = await autocannon(options);
  return {
    label,
    requestsPerSecond: Math.round(result['2xx'] / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/** Peak resident memory of a process (VmHWM), in MB; Linux only. */
export function peakRssMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

export function printTable(rows: LoadFigures[]): void {
  console.log('| run | req/s | p50 ms | p99 ms | 2xx | failed |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.label} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.failed} |`);
}

/** A create/submit with a new person each time, so that every 201 is a real insert. */
export function newPersonRequest(path: string, headers: Record<string, string>, next: () => string): Request {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    setupRequest: (request) => {
      const id = next();
      return {
        ...request,
        body: JSON.stringify({
          firstName: 'Bench',
          lastName: `Person${id}`,
          email: `bench${id}@example.org`,
          ticketTypeId: 'free',
          customFields: { dietary: 'Vegan' },
        }),
      };
    },
  };
}
