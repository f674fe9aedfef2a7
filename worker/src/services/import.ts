/** Admin import: one raw RFC 822 message or a whole mbox, stored through the normal ingest path. */
import type { Bytes } from '../lib/bytes';
import { isMbox, splitMbox } from '../lib/mbox';
import { AppError } from '../lib/errors';
import { resolveMailbox } from './addresses';
import type { Deps } from './deps';
import { ingestMessage } from './ingest';
import { announcingOnce } from './search-index';
import type { AddressRow } from '../db/schema';

export interface ImportReport {
  imported: number;
  duplicates: number;
  failed: { index: number; error: string }[];
  mail_ids: number[];
}

/** What one import request may hold, for clients that split an mbox (scripts/import-mbox.mjs). */
export function importLimits(deps: Deps) {
  return { max_messages: deps.config.importMaxMessages, max_message_bytes: deps.config.maxMessageBytes };
}

export async function importMail(deps: Deps, recipient: string, data: Bytes): Promise<ImportReport> {
  const mailbox = await resolveMailbox(deps, recipient);
  if (!isMbox(data)) {
    // A single message fails as a whole, with its own error (e.g. 413 when too large).
    const result = await ingestMessage(deps, { mailbox, envelopeFrom: '', envelopeTo: mailbox.address, raw: data });
    return { imported: result.status === 'stored' ? 1 : 0, duplicates: result.status === 'duplicate' ? 1 : 0, failed: [], mail_ids: [result.mailId] };
  }
  const messages = splitMbox(data);
  if (messages.length === 0) throw new AppError('invalid_mime', 'The mbox file holds no message.');
  // Every message is a D1 query of this one request, and Cloudflare caps those per invocation: a
  // larger mbox would fail part way through there (while passing locally), so it is refused whole.
  const max = deps.config.importMaxMessages;
  if (messages.length > max) {
    throw new AppError(
      'payload_too_large',
      `This mbox holds ${messages.length} messages; one request imports at most ${max} (IMPORT_MAX_MESSAGES). Send it in parts: \`npm run import-mbox\` does.`,
    );
  }
  // The whole mbox is announced for indexing once, at the end, not once per message.
  return announcingOnce(deps, (gathering) => importEach(gathering, mailbox, messages));
}

async function importEach(deps: Deps, mailbox: AddressRow, messages: Bytes[]): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, duplicates: 0, failed: [], mail_ids: [] };
  // Sequential on purpose: D1 serialises writes anyway, and order keeps ids in mbox order.
  for (const [index, raw] of messages.entries()) {
    try {
      const result = await ingestMessage(deps, { mailbox, envelopeFrom: '', envelopeTo: mailbox.address, raw });
      report.mail_ids.push(result.mailId);
      if (result.status === 'stored') report.imported++;
      else report.duplicates++;
    } catch (err) {
      // One oversized message must not abort a migration; storage failures still do.
      if (!(err instanceof AppError)) throw err;
      report.failed.push({ index, error: err.message });
    }
  }
  return report;
}
