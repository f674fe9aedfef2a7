ALTER TABLE `mails` ADD `public_id` text;--> statement-breakpoint
ALTER TABLE `mails` ADD `folder` text DEFAULT 'INBOX' NOT NULL;--> statement-breakpoint
ALTER TABLE `mails` ADD `flagged` integer DEFAULT false NOT NULL;