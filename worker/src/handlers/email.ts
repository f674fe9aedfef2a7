/**
 * The Email Routing entry. Rejections (unknown mailbox, too large) use `setReject`, which the sending
 * server sees as a permanent 5xx. Any other failure throws, so Email Routing reports a temporary
 * failure and the sender retries; nothing is acknowledged that was not stored.
 */
import { readAll } from '../lib/bytes';
import { AppError } from '../lib/errors';
import { resolveMailbox } from '../services/addresses';
import { createDeps, type Deps } from '../services/deps';
import { ingestMessage, logRejectedDelivery } from '../services/ingest';
import { sharingAnnouncements } from '../services/search-index';

export async function handleEmail(message: ForwardableEmailMessage, env: Env, ctx: ExecutionContext): Promise<void> {
  // Deliveries arriving together share one search-index announcement (services/index-announcer.ts).
  const deps = sharingAnnouncements(createDeps(env), (work) => ctx.waitUntil(work));
  const limit = deps.config.maxMessageBytes;
  if (message.rawSize > limit) return reject(deps, message, `Message too large: the limit is ${limit} bytes.`);
  let mailbox;
  try {
    mailbox = await resolveMailbox(deps, message.to);
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return reject(deps, message, err.message);
    throw err;
  }
  // rawSize is the sender's claim: it sizes the buffer, while the stream is capped independently.
  const raw = await readAll(message.raw, limit, message.rawSize);
  if (!raw) return reject(deps, message, `Message too large: the limit is ${limit} bytes.`);
  // The "accepted" log entry is written in the message's own transaction, so it exists iff the mail does.
  const log = { direction: 'inbound', status: 'accepted', sender: message.from, recipient: message.to } as const;
  const result = await ingestMessage(deps, { mailbox, envelopeFrom: message.from, envelopeTo: message.to, raw, log });
  console.log(JSON.stringify({ level: 'info', event: 'mail_received', mailbox: mailbox.id, mailId: result.mailId, status: result.status, size: raw.byteLength }));
  for (const destination of deps.config.forwardTo) await forwardCopy(message, mailbox.id, result.mailId, destination);
}

/**
 * A copy for a FORWARD_TO destination, after the message is stored. A failure (an unverified
 * destination, the destination's server refusing) is logged and does not fail the delivery: a thrown
 * error would make the sender's server retry, then bounce, mail that was received.
 */
async function forwardCopy(message: ForwardableEmailMessage, mailboxId: number, mailId: number, destination: string): Promise<void> {
  try {
    await message.forward(destination);
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', event: 'forward_failed', mailbox: mailboxId, mailId, destination, error: err instanceof Error ? err.message : String(err) }));
  }
}

async function reject(deps: Deps, message: ForwardableEmailMessage, reason: string): Promise<void> {
  message.setReject(reason);
  await logRejectedDelivery(deps, message.from, message.to);
}
