-- Custom migration: scope the search index by mailbox inside FTS5 itself. Each row gets a `mailbox`
-- token (mbx + 10-digit address id + x), so a search intersects the mailbox's own postings instead of
-- walking every other mailbox's newer hits. FTS5 cannot add a column, so the table is rebuilt from
-- the existing index rows.
CREATE VIRTUAL TABLE `mails_fts_v2` USING fts5(`subject`, `sender`, `recipients`, `body`, `mailbox`, tokenize = 'trigram');--> statement-breakpoint
INSERT INTO `mails_fts_v2` (rowid, `subject`, `sender`, `recipients`, `body`, `mailbox`)
  SELECT f.rowid, f.`subject`, f.`sender`, f.`recipients`, f.`body`, 'mbx' || printf('%010d', m.`address_id`) || 'x'
  FROM `mails_fts` f JOIN `mails` m ON m.`id` = f.rowid;--> statement-breakpoint
DROP TRIGGER `mails_fts_delete`;--> statement-breakpoint
DROP TABLE `mails_fts`;--> statement-breakpoint
ALTER TABLE `mails_fts_v2` RENAME TO `mails_fts`;--> statement-breakpoint
CREATE TRIGGER `mails_fts_delete` AFTER DELETE ON `mails` BEGIN DELETE FROM `mails_fts` WHERE rowid = old.`id`; END;
