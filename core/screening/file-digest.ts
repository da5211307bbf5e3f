import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const READ_BYTES = 1 << 20;

/**
 * sha256 of a file and its number of line breaks (for the progress estimate), in one pass. The file is read through
 * one reused buffer: a read stream allocates a new buffer per read and costs several times as much on a large file.
 */
export async function digestFile(path: string): Promise<{ sha256: string; lineBreaks: number; bytes: number }> {
  const hash = createHash('sha256');
  let lineBreaks = 0;
  let bytes = 0;
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      bytes += bytesRead;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lineBreaks++;
    }
  } finally {
    await file.close();
  }
  return { sha256: hash.digest('hex'), lineBreaks, bytes };
}
