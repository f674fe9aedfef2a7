/**
 * Reads one DATA stream to its end before anything is submitted. A message only exists once the
 * client has sent the final "." — a client that disconnects or stalls mid-DATA never saw a 250 and
 * will retry, so forwarding what arrived so far would deliver half a message and then a whole one.
 */
import type { Readable } from 'node:stream';

/** What a DATA stream turned out to be. Never a rejection: every outcome is an SMTP answer. */
export type Received =
  | { kind: 'complete'; message: Uint8Array<ArrayBuffer>; bytes: number }
  /** Over the size limit: drained to the end (so the reply can be sent) but not kept. */
  | { kind: 'oversized'; bytes: number }
  /** The connection closed or timed out before the final ".". */
  | { kind: 'aborted'; bytes: number; reason: string };

/** Stream with smtp-server's `sizeExceeded` flag, which it sets once the declared limit is passed. */
type DataStream = Readable & { sizeExceeded?: boolean };

export function receiveMessage(stream: DataStream, maxBytes: number): Promise<Received> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const settle = (result: Received) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      resolve(result);
    };
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      // Past the limit the rest is only counted: holding it would let one client fill our memory.
      if (bytes <= maxBytes) chunks.push(chunk);
    });
    stream.once('end', () => {
      if (bytes > maxBytes || stream.sizeExceeded) return settle({ kind: 'oversized', bytes });
      const message = new Uint8Array(bytes);
      let at = 0;
      for (const chunk of chunks) {
        message.set(chunk, at);
        at += chunk.length;
      }
      settle({ kind: 'complete', message, bytes });
    });
    // smtp-server destroys the stream (with an error when one is listened for) when the client
    // goes away or the idle timeout fires; 'close' without 'end' covers a destroy without one.
    stream.once('error', (err) => settle({ kind: 'aborted', bytes, reason: err.message }));
    stream.once('close', () => settle({ kind: 'aborted', bytes, reason: 'stream closed before the end of DATA' }));
  });
}
