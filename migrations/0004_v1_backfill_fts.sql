-- Custom migration (drizzle-kit cannot express these): public ids for existing mail, and the
-- full-text index behind /api/v1/mailboxes/{address}/search.
UPDATE `mails` SET `public_id` = 'msg_' || lower(hex(randomblob(10))) WHERE `public_id` IS NULL;--> statement-breakpoint
-- trigram: substring search that works for any script, CJK included (no word segmentation needed).
CREATE VIRTUAL TABLE `mails_fts` USING fts5(`subject`, `sender`, `recipients`, `body`, tokenize = 'trigram');--> statement-breakpoint
INSERT INTO `mails_fts` (rowid, `subject`, `sender`, `recipients`, `body`)
  SELECT m.`id`, coalesce(m.`subject`, ''), coalesce(m.`from_name`, '') || ' ' || coalesce(m.`from_address`, ''), m.`to_json`, coalesce(c.`text`, '')
  FROM `mails` m JOIN `mail_contents` c ON c.`mail_id` = m.`id`;--> statement-breakpoint
-- Rows leave the index with their mail, however the mail goes (delete, cascade from its address).
CREATE TRIGGER `mails_fts_delete` AFTER DELETE ON `mails` BEGIN DELETE FROM `mails_fts` WHERE rowid = old.`id`; END;
