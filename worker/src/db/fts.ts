/**
 * The FTS5 search index `mails_fts` (trigram tokenizer, rowid = mails.id). Created by the custom
 * migration 0004, which drizzle-kit cannot express, so it lives outside schema.ts on purpose: this
 * declaration only lets queries and batches address it.
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const mailsFts = sqliteTable('mails_fts', {
  rowid: integer('rowid'),
  subject: text('subject'),
  sender: text('sender'),
  recipients: text('recipients'),
  body: text('body'),
});
