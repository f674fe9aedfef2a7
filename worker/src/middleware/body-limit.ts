/** Request bodies sized to what can be sent: refused with 413 before they are read. */
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';

/**
 * A body larger than the largest sendable message (MAX_MESSAGE_BYTES) plus `overhead` bytes for its
 * encoding (`overheadOf`: "form", "JSON") cannot become a message: it answers 413 unread.
 */
export function sendableBodyLimit(what: string, overhead: number, overheadOf: string) {
  return createMiddleware<AppEnv>((c, next) => {
    const maxSize = c.var.deps.config.maxMessageBytes + overhead;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError('payload_too_large', `${what} are limited to ${maxSize} bytes (MAX_MESSAGE_BYTES plus ${overheadOf} overhead).`);
      },
    })(c, next);
  });
}
