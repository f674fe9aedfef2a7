/**
 * The Email Routing entry. Rejections (unknown mailbox, too large) use `setReject`, which the sending
 * server sees as a permanent 5xx. Any other failure throws, so Email Routing reports a temporary
 * failure and the sender retries; nothing is acknowledged that was not stored.
 */
import { logDeliveries } from '../db/delivery-log';
import { readAll } from '../lib/bytes';
import { AppError } from '../lib/errors';
import { resolveMailbox } from '../services/addresses';
import { createDeps } from '../services/deps';
import { ingestMessage } from '../services/ingest';

export async function handleEmail(message: ForwardableEmailMessage, env: Env): Promise<void> {
  const deps = createDeps(env);
  const log = (status: 'accepted' | 'rejected') =>
    logDeliveries(deps.db, [{ direction: 'inbound', status, sender: message.from, recipient: message.to }], deps.clock.now());
  const reject = async (reason: string) => {
    message.setReject(reason);
    await log('rejected');
  };
  const limit = deps.config.maxMessageBytes;
  if (message.rawSize > limit) return reject(`Message too large: the limit is ${limit} bytes.`);
  let mailbox;
  try {
    mailbox = await resolveMailbox(deps, message.to);
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return reject(err.message);
    throw err;
  }
  // rawSize is the sender's claim; the stream is capped independently.
  const raw = await readAll(message.raw, limit);
  if (!raw) return reject(`Message too large: the limit is ${limit} bytes.`);
  const result = await ingestMessage(deps, { mailbox, envelopeFrom: message.from, envelopeTo: message.to, raw });
  if (result.status === 'stored') await log('accepted');
  console.log(JSON.stringify({ level: 'info', event: 'mail_received', mailbox: mailbox.id, mailId: result.mailId, status: result.status, size: raw.byteLength }));
  for (const destination of deps.config.forwardTo) await message.forward(destination);
}
