import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { join } from 'node:path';

/** The receipt types the proxy takes (SPEC §3c), by the extension it stores them under. */
export const RECEIPT_TYPES = { png: 'image/png', jpg: 'image/jpeg', pdf: 'application/pdf' } as const;
export type ReceiptExtension = keyof typeof RECEIPT_TYPES;

/** A stored receipt's name: 128 random bits (base64url) and the sniffed type's extension. */
export const RECEIPT_NAME = /^[A-Za-z0-9_-]{22}\.(png|jpg|pdf)$/;

/** How long an upload waits for the registration that uses it before it is swept. */
export const UNUSED_RECEIPT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Where receipts live (SPEC §3c), small on purpose so that another store (a bucket) can take
 * the local folder's place. An upload is *pending* until a registration names it (`keep`);
 * `sweep` deletes pending ones older than a day, so a visitor who uploads and leaves leaves
 * nothing behind.
 */
export interface ReceiptStore {
  /** Stores the bytes under a new unguessable name, returned. */
  save(bytes: Buffer, extension: ReceiptExtension): Promise<string>;
  /** A receipt, pending or kept, as a stream and its size; null for a name that is not stored. */
  open(name: string): Promise<{ stream: Readable; size: number } | null>;
  /**
   * Before a submit that names it: a pending receipt's day starts again, so that no sweep can
   * take it between the check and `keep`. Where it is, or null when it is stored neither
   * pending nor kept.
   */
  hold(name: string, now: Date): Promise<'pending' | 'kept' | null>;
  /** Marks a receipt as used by a registration: it is never swept. False when it is not pending. */
  keep(name: string): Promise<boolean>;
  /** Deletes pending receipts stored before `now` minus a day; returns how many. */
  sweep(now: Date): Promise<number>;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The default store: a folder (`RECEIPTS_DIR`) with `pending/` and `kept/` inside. Keeping is a
 * rename, atomic on one file system, so a sweep running at the same time either deletes a
 * receipt before it is kept or never sees it. Several proxies need the folder shared.
 */
export function localReceiptStore(dir: string): ReceiptStore {
  const pending = join(dir, 'pending');
  const kept = join(dir, 'kept');
  const ready = Promise.all([mkdir(pending, { recursive: true, mode: 0o700 }), mkdir(kept, { recursive: true, mode: 0o700 })]);

  return {
    async save(bytes, extension) {
      await ready;
      const name = `${randomBytes(16).toString('base64url')}.${extension}`;
      // `wx`: a name is never reused, even in the impossible case of a collision.
      await writeFile(join(pending, name), bytes, { flag: 'wx', mode: 0o600 });
      return name;
    },
    async open(name) {
      if (!RECEIPT_NAME.test(name)) return null;
      await ready;
      for (const folder of [kept, pending]) {
        try {
          const handle = await open(join(folder, name));
          const { size } = await handle.stat();
          return { stream: handle.createReadStream(), size };
        } catch (error) {
          if (!isMissing(error)) throw error;
        }
      }
      return null;
    },
    async hold(name, now) {
      if (!RECEIPT_NAME.test(name)) return null;
      await ready;
      try {
        await utimes(join(pending, name), now, now);
        return 'pending';
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      try {
        await stat(join(kept, name));
        return 'kept';
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async keep(name) {
      if (!RECEIPT_NAME.test(name)) return false;
      await ready;
      try {
        await rename(join(pending, name), join(kept, name));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async sweep(now) {
      await ready;
      const before = now.getTime() - UNUSED_RECEIPT_TTL_MS;
      let swept = 0;
      for (const name of await readdir(pending)) {
        const file = join(pending, name);
        try {
          if ((await stat(file)).mtimeMs >= before) continue;
          await rm(file);
          swept++;
        } catch (error) {
          if (!isMissing(error)) throw error; // kept meanwhile
        }
      }
      return swept;
    },
  };
}
