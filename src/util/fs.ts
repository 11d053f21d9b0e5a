// Atomic file writes: data goes to a temporary file in the same folder, is flushed, and is renamed
// over the real name, so a crash or a full disk never leaves a half-written file that a later run
// would trust (the corpus cache, model weights, checkpoints).

import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** Writes `data` to `path` atomically. Throws the file system's error (the temporary file is removed). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // The temporary file was never created, or is already gone.
    }
    throw e;
  }
}
