import { once } from 'node:events';
import { connect } from 'node:net';
import { deflateSync } from 'node:zlib';

/** A real 1×1 PNG: signature, IHDR, IDAT, IEND (CRCs left zero: no reader here checks them). */
export function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const jpeg = (): Buffer =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from('JFIF\0\x01\x01', 'latin1'), Buffer.alloc(64)]);
export const pdf = (): Buffer => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
/** A Windows executable's first bytes (`MZ`, the PE header offset) and an ELF binary's. */
export const exe = (): Buffer =>
  Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x40, 0, 0, 0]), Buffer.from('PE\0\0'), Buffer.alloc(64)]);
export const elf = (): Buffer => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(64)]);
export const htmlPage = (): Buffer => Buffer.from('<!doctype html><html><body><script>alert(document.domain)</script></body></html>');

/** A multipart body of one file, as browsers send a FormData. */
export function formWith(name: string, bytes: Buffer, type = 'application/octet-stream'): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  return form;
}

export interface RawUpload {
  /** The status of the answer, 0 if the server closed without one. */
  status: number;
  /** File bytes the client wrote before the answer came or the connection closed. */
  sent: number;
  /** Whether the client had sent the whole body (its closing boundary) when the answer came. */
  finished: boolean;
}

/**
 * A multipart upload over a raw socket that declares (chunked) a file of `size` bytes starting
 * with `head`, written 64 KiB at a time, each write waiting for the socket: it stops as soon as
 * an answer arrives. With `finish: false` the closing boundary is never sent, so an answer can
 * only be the server refusing while the body streams.
 */
export async function rawUpload(url: string, path: string, head: Buffer, size: number, finish = true): Promise<RawUpload> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let answer = '';
  let answered = false;
  let finished = false;
  const answeredAt = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (!answered && answer.includes('\r\n\r\n')) {
        answered = true;
        resolve();
      }
    });
    socket.once('close', () => resolve());
  });
  socket.on('error', () => {});
  const boundary = 'confera-test-boundary';
  const frame = (data: Buffer) => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
  const write = (data: Buffer) => new Promise<boolean>((resolve) => socket.write(frame(data), (error) => resolve(!error)));
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\ntransfer-encoding: chunked\r\ncontent-type: multipart/form-data; boundary=${boundary}\r\n\r\n`,
  );
  await write(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`),
  );
  let sent = 0;
  const block = Buffer.alloc(64 * 1024, 0x41);
  while (sent < size && !answered && !socket.destroyed) {
    const piece =
      sent === 0
        ? Buffer.concat([head, block]).subarray(0, Math.min(block.length, size))
        : block.subarray(0, Math.min(block.length, size - sent));
    if (!(await write(piece))) break;
    sent += piece.length;
  }
  if (finish && !answered && !socket.destroyed) {
    await write(Buffer.from(`\r\n--${boundary}--\r\n`));
    socket.write('0\r\n\r\n');
    finished = true;
  }
  await answeredAt;
  socket.destroy();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), sent, finished };
}
