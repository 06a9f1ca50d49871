import { Writable } from 'node:stream';
import type { CliIo } from './io.js';

/** A stream into the CLI's stderr writer, so logs land where the io says (and tests see them). */
export function stderrStream(io: CliIo): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      io.writeErr(chunk.toString());
      callback();
    },
  });
}
