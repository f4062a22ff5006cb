import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What a push's request may carry besides its pack: its ref commands (one pkt-line each) and push options. */
const COMMANDS_ALLOWANCE_BYTES = 4 * 1024 * 1024;

export class PushTooLargeError extends Error {
  constructor(readonly maximumBytes: number) {
    super(`push request over ${maximumBytes} bytes`);
  }
}

/** A push's request body, written to a private temporary file; `release` deletes it. */
export interface PushUpload {
  open(): NodeJS.ReadableStream;
  release(): Promise<void>;
}

/**
 * Reads a push's whole request body before the push locks its project or takes a database connection, so a slow
 * client holds neither (a developer trickling a push would otherwise block every push to the project, and a few
 * would hold every pooled connection). Bounded by the pack limit git enforces (`receive.maxInputSize`) plus room for
 * the commands: a body over it is refused without being stored.
 */
export async function readPushUpload(body: NodeJS.ReadableStream, maxPackBytes: number): Promise<PushUpload> {
  const maximumBytes = maxPackBytes + COMMANDS_ALLOWANCE_BYTES;
  const directory = await mkdtemp(join(tmpdir(), 'lanyard-push-'));
  const path = join(directory, 'request');
  const release = () => rm(directory, { recursive: true, force: true });
  try {
    await pipeline(body, limitTo(maximumBytes), createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await release();
    throw error;
  }
  return { open: () => createReadStream(path), release };
}

function limitTo(maximumBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > maximumBytes) done(new PushTooLargeError(maximumBytes));
      else done(null, chunk);
    },
  });
}
