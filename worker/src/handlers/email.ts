/**
 * The Email Routing entry. Rejections (unknown mailbox, too large) use `setReject`, which the sending
 * server sees as a permanent 5xx. Any other failure throws, so Email Routing reports a temporary
 * failure and the sender retries; nothing is acknowledged that was not stored.
 */
import { readAll } from '../lib/bytes';
import { AppError } from '../lib/errors';
import { resolveMailbox } from '../services/addresses';
import { createDeps } from '../services/deps';
import { ingestMessage } from '../services/ingest';

export async function handleEmail(message: ForwardableEmailMessage, env: Env): Promise<void> {
  const deps = createDeps(env);
  const limit = deps.config.maxMessageBytes;
  if (message.rawSize > limit) {
    message.setReject(`Message too large: the limit is ${limit} bytes.`);
    return;
  }
  let mailbox;
  try {
    mailbox = await resolveMailbox(deps, message.to);
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      message.setReject(err.message);
      return;
    }
    throw err;
  }
  // rawSize is the sender's claim; the stream is capped independently.
  const raw = await readAll(message.raw, limit);
  if (!raw) {
    message.setReject(`Message too large: the limit is ${limit} bytes.`);
    return;
  }
  const result = await ingestMessage(deps, { mailbox, envelopeFrom: message.from, envelopeTo: message.to, raw });
  console.log(JSON.stringify({ level: 'info', event: 'mail_received', mailbox: mailbox.id, mailId: result.mailId, status: result.status, size: raw.byteLength }));
  for (const destination of deps.config.forwardTo) await message.forward(destination);
}
