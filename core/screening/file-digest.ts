import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 of a file and its number of line breaks (for the progress estimate), in one streamed pass. */
export async function digestFile(path: string): Promise<{ sha256: string; lineBreaks: number; bytes: number }> {
  const hash = createHash('sha256');
  let lineBreaks = 0;
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lineBreaks++;
  }
  return { sha256: hash.digest('hex'), lineBreaks, bytes };
}
