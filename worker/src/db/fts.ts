/**
 * The FTS5 search index `mails_fts` (trigram tokenizer, rowid = mails.id). Created by the custom
 * migrations 0004 and 0006, which drizzle-kit cannot express, so it lives outside schema.ts on
 * purpose: this declaration only lets queries and batches address it.
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const mailsFts = sqliteTable('mails_fts', {
  rowid: integer('rowid'),
  subject: text('subject'),
  sender: text('sender'),
  recipients: text('recipients'),
  body: text('body'),
  /** `mailboxToken(address_id)`: lets a MATCH stay inside one mailbox. */
  mailbox: text('mailbox'),
});

/** A token no text contains by accident, fixed-width so mailbox 1 never matches inside mailbox 17's. */
export function mailboxToken(addressId: number): string {
  return `mbx${String(addressId).padStart(10, '0')}x`;
}
