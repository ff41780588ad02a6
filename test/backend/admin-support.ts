import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { runAdminCommand } from '../../backend/admin/commands.js';
import { configureContractMessages } from '../../contract/index.js';
import { ApiError } from '../../backend/errors.js';
import type { Store } from '../../backend/storage/database.js';

/**
 * The admin CLI in-process (its `runAdminCommand`), on a backend's database. `stdin` is what
 * `--file -` reads. `json` parses stdout; `text` returns it as is (a CSV export).
 */
export function adminCli(store: Store, now: () => Date = () => new Date()) {
  configureContractMessages(); // as backend/admin/cli.ts does
  const text = (argv: string[], stdin: unknown = undefined) =>
    runAdminCommand(argv, { store, now, readStdin: () => (typeof stdin === 'string' ? stdin : JSON.stringify(stdin)) });
  return {
    text,
    json: async (argv: string[], stdin: unknown = undefined): Promise<any> => JSON.parse(await text(argv, stdin)),
  };
}

/** The ApiError a failed admin command threw, as the SPEC error body's `error`. */
export async function adminError(promise: Promise<unknown>, code: string): Promise<{ code: string; message: string; details?: any }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error.toBody().error;
  }
  assert.fail(`expected the command to fail with ${code}`);
}

/** The field paths named by a `validation_failed` from the admin CLI. */
export async function adminFieldErrors(promise: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = await adminError(promise, 'validation_failed');
  return error.details.fields;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const CLI = join(import.meta.dirname, '../../backend/admin/cli.ts');

/** The real CLI as a child process, on the database at `databaseUrl`. */
export function spawnCli(databaseUrl: string, argv: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...argv],
      { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Writes JSON to a file in a temporary folder removed when the test ends; returns its path. */
export function jsonFile(t: TestContext, value: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'confera-admin-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'file.json');
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}
