import type { IncomingMessage } from 'node:http';

/** Forge's limit on an invoke payload; the local server keeps it. */
export const MAX_BODY_BYTES = 500 * 1024;

/**
 * How much of an oversized body is read and thrown away. A client that is
 * still sending when the server closes the connection gets a reset instead of
 * the answer, so the server reads to the end of the body before it answers
 * 413; past this much it stops reading and closes.
 */
export const MAX_DISCARDED_BYTES = 16 * 1024 * 1024;

export type BodyOutcome =
  | { readonly kind: 'read'; readonly text: string }
  /** `drained`: the whole body was read, so the connection can stay open after the answer. */
  | { readonly kind: 'too-large'; readonly drained: boolean };

/** The body's declared length, or null when it is sent chunked (or the header is not a number). */
export function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : null;
}

/**
 * Reads a request body of at most `limit` bytes. A longer one is read to its
 * end and dropped (up to MAX_DISCARDED_BYTES), so that the 413 reaches the
 * client; rejects only when the client goes away.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyOutcome> {
  return new Promise((resolve, reject) => {
    const length = declaredLength(req);
    if (length !== null && length > MAX_DISCARDED_BYTES) {
      req.pause();
      resolve({ kind: 'too-large', drained: false });
      return;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > MAX_DISCARDED_BYTES) {
        req.off('data', onData);
        req.pause();
        resolve({ kind: 'too-large', drained: false });
      }
    };
    req.on('data', onData);
    req.on('end', () => resolve(size > limit ? { kind: 'too-large', drained: true } : { kind: 'read', text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client went away before the end of its request'));
    });
  });
}
