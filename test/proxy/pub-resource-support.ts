import { request } from 'node:http';
import { watchLogs } from './support.js';

/** Seed 004's resource on a proxy. */
export function resourceUrl(proxyUrl: string, eventId: string, query = 'region=nz'): string {
  return `${proxyUrl}/api/2012-02-01/pub/resources/events/${eventId}/registrations/${query ? `?${query}` : ''}`;
}

/** Seed 004's JSONP form: the parameters in its order, `jsonData` URI-encoded as it says to. */
export function pubJsonpUrl(proxyUrl: string, eventId: string, jsonData: string, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ method: 'post', format: 'json', region: 'nz', jsonData, callback: 'myRegisterCallback', ...extra });
  return resourceUrl(proxyUrl, eventId, query.toString());
}

/** A JSONP request as a script element on an allowed page sends it. */
export const asScript = { headers: { referer: 'https://www.example.org/register.html', 'sec-fetch-dest': 'script' } };

/** The seed-004 custom fields, configured on the test conferences (text and tel, seed 004's limits). */
export const SEED_FIELDS = [
  { key: 'phoneWork', label: 'Work phone', type: 'tel', max_length: 32 },
  { key: 'phoneHome', label: 'Home phone', type: 'tel', max_length: 32 },
  { key: 'mobile', label: 'Mobile', type: 'tel', max_length: 32 },
  { key: 'organisationName', label: 'Organisation', type: 'text', max_length: 64 },
  { key: 'position', label: 'Position', type: 'text', max_length: 64 },
  { key: 'department', label: 'Department', type: 'text', max_length: 64 },
  { key: 'businessUnit', label: 'Business unit', type: 'text', max_length: 64 },
  { key: 'specialDiet', label: 'Special diet', type: 'text', max_length: 64 },
  { key: 'disability', label: 'Disability', type: 'text', max_length: 64 },
  { key: 'code', label: 'Member code', type: 'text', max_length: 16 },
  { key: 'comments', label: 'Comments', type: 'textarea', max_length: 256 },
];

/** A seed-004 body for person `n`, Contact fields added by `contact`. */
export function pubPerson(n: number | string, contact: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
  return { Contact: { FirstName: 'Julie', LastName: `Everett${n}`, Email: `julie.everett${n}@example.org`, ...contact }, ...top };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request with exactly the headers given (fetch would add Accept, Accept-Language,
 * Sec-Fetch-Mode…): for seed 004's literal example and for "no Accept header". Recorded for
 * the key-leak scan.
 */
export function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        watchLogs([JSON.stringify(res.headers), text]);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
