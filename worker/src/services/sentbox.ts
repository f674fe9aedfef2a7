/** Reading one address's Sent box. */
import { findSentMail, listSentMails } from '../db/sent';
import type { AddressRow, SentMailRow } from '../db/schema';
import { AppError } from '../lib/errors';
import type { Bytes } from '../lib/bytes';
import { readStoredBytes } from './blobs';
import type { Deps } from './deps';
import type { Page } from './mailbox';

export async function listSent(deps: Deps, mailbox: AddressRow, page: Page) {
  return { rows: await listSentMails(deps.db, mailbox.id, page.limit, page.offset), count: mailbox.sentCount };
}

export async function getSent(deps: Deps, mailbox: AddressRow, id: number): Promise<{ row: SentMailRow; raw: Bytes }> {
  const row = await findSentMail(deps.db, mailbox.id, id);
  if (!row) throw new AppError('message_not_found', 'No such message in this Sent box.');
  return { row, raw: await readStoredBytes(deps.blobs, row) };
}
