import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Scope, IsoDateTime, type Registration } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys.js';
import { createConference, requireConference, updateConference } from '../services/conferences.js';
import { listRegistrations } from '../services/registrations.js';
import type { Store } from '../storage/database.js';
import { toCsv } from './export.js';

export const USAGE = `usage: confera-admin <command>
  conference create --file conference.json
  conference update <id> --file patch.json      (RFC 7396 merge patch)
  conference show <id>
  key create --conference <id> --scopes registrations:read,registrations:write [--name N] [--expires-at ISO]
  key list --conference <id>
  key revoke <key-id>
  registrations export --conference <id> [--format csv|json]
--file - reads standard input. Output is JSON on stdout; errors go to stderr.`;

/** A mistake in the command line itself: exit code 2 and the usage. */
export class UsageError extends Error {}

export interface AdminIo {
  store: Store;
  now: () => Date;
  readStdin: () => string;
}

function readJsonFile(path: string | undefined, io: AdminIo): unknown {
  if (!path) throw new UsageError('--file is required');
  let text: string;
  try {
    text = path === '-' ? io.readStdin() : readFileSync(path, 'utf8');
  } catch {
    throw new ApiError('validation_failed', `Cannot read the file ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('invalid_json', `The file ${path} is not valid JSON`);
  }
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === '') throw new UsageError(`${what} is required`);
  return value;
}

async function exportRegistrations(store: Store, conferenceId: string): Promise<Registration[]> {
  const all: Registration[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRegistrations(store.db, conferenceId, { limit: 200, cursor });
    all.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return all;
}

/** Runs one admin command; returns what goes to stdout (JSON, or CSV for a CSV export). */
export async function runAdminCommand(argv: string[], io: AdminIo): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      file: { type: 'string' },
      conference: { type: 'string' },
      scopes: { type: 'string' },
      name: { type: 'string' },
      'expires-at': { type: 'string' },
      format: { type: 'string' },
    },
  });
  const [group, action, target] = positionals;
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const { store } = io;

  switch (`${group} ${action}`) {
    case 'conference create': {
      const conference = await createConference(store.db, readJsonFile(values.file, io), io.now());
      return json({ id: conference.id });
    }
    case 'conference update':
      return json(await updateConference(store.db, need(target, '<id>'), readJsonFile(values.file, io), io.now()));
    case 'conference show':
      return json(await requireConference(store.db, need(target, '<id>')));
    case 'key create': {
      const conferenceId = need(values.conference, '--conference');
      await requireConference(store.db, conferenceId);
      const scopes = need(values.scopes, '--scopes')
        .split(',')
        .map((s) => s.trim());
      const bad = scopes.filter((s) => !Scope.safeParse(s).success);
      if (bad.length || !scopes.length) throw ApiError.validation({ scopes: [`Unknown scope: ${bad.join(', ')}`] });
      const expiresAt = values['expires-at'];
      if (expiresAt !== undefined && !IsoDateTime.safeParse(expiresAt).success) {
        throw ApiError.validation({ 'expires-at': ['Must be an ISO date-time with an offset, such as 2027-12-31T00:00:00Z'] });
      }
      const created = await createApiKey(
        store.db,
        { conferenceId, scopes: scopes as Scope[], ...(values.name ? { name: values.name } : {}), expiresAt: expiresAt ?? null },
        io.now(),
      );
      return json(created);
    }
    case 'key list':
      return json(await listApiKeys(store.db, need(values.conference, '--conference')));
    case 'key revoke': {
      const id = need(target, '<key-id>');
      if (!(await revokeApiKey(store.db, id, io.now()))) throw new ApiError('not_found', `No API key with id "${id}"`);
      return json({ id, revoked: true });
    }
    case 'registrations export': {
      const conferenceId = need(values.conference, '--conference');
      await requireConference(store.db, conferenceId);
      const format = values.format ?? 'csv';
      if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
      const registrations = await exportRegistrations(store, conferenceId);
      return format === 'csv' ? toCsv(registrations) : json(registrations);
    }
    default:
      throw new UsageError(`unknown command: ${positionals.join(' ') || '(none)'}`);
  }
}
