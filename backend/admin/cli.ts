import { readFileSync } from 'node:fs';
import { configureContractMessages } from '../../contract/index.js';
import { ApiError } from '../errors.js';
import { openDatabase, type Store } from '../storage/database.js';
import { migrate } from '../storage/migrate.js';
import { runAdminCommand, USAGE, UsageError } from './commands.js';

/**
 * `confera-admin`: JSON on stdout; errors on stderr as `{ "error": { code, message, details } }`
 * with exit code 1, a bad command line with the usage and exit code 2.
 */
async function main(): Promise<number> {
  configureContractMessages();
  const argv = process.argv.slice(2);
  if (!argv.length || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return argv.length ? 0 : 2;
  }
  let store: Store | undefined;
  try {
    store = openDatabase(process.env.DATABASE_URL);
    await migrate(store);
    process.stdout.write(await runAdminCommand(argv, { store, now: () => new Date(), readStdin: () => readFileSync(0, 'utf8') }));
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`confera-admin: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    const body = error instanceof ApiError ? error.toBody() : { error: { code: 'internal_error', message: (error as Error).message } };
    process.stderr.write(`${JSON.stringify(body, null, 2)}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}

process.exitCode = await main();
