import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

const READ_BYTES = 1 << 20;
/** Reads between two turns of the event loop: a few milliseconds of work at most. */
const READS_PER_TURN = 8;

/**
 * sha256 of a file and its number of line breaks (for the progress estimate), in one pass. The file is read through
 * one reused buffer: a read stream allocates a new buffer per read and costs several times as much on a large file.
 * The reads are synchronous, because an asynchronous read waits for a thread of libuv's pool, and on a busy machine
 * that wait was most of the digest's time; every few reads the event loop gets a turn, so that the host still answers.
 */
export async function digestFile(path: string): Promise<{ sha256: string; lineBreaks: number; bytes: number }> {
  const hash = createHash('sha256');
  let lineBreaks = 0;
  let bytes = 0;
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (let reads = 1; ; reads++) {
      const bytesRead = readSync(fd, buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      bytes += bytesRead;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lineBreaks++;
      if (reads % READS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), lineBreaks, bytes };
}
