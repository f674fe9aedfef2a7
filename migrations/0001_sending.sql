CREATE TABLE `sent_mails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`address_id` integer NOT NULL,
	`message_id` text NOT NULL,
	`subject` text,
	`to_json` text DEFAULT '[]' NOT NULL,
	`cc_json` text DEFAULT '[]' NOT NULL,
	`recipients_json` text NOT NULL,
	`status` text NOT NULL,
	`raw_size` integer NOT NULL,
	`raw` blob,
	`raw_key` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`address_id`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sent_mails_address_id_idx` ON `sent_mails` (`address_id`,`id`);--> statement-breakpoint
CREATE INDEX `sent_mails_address_created_idx` ON `sent_mails` (`address_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `addresses` ADD `sent_count` integer DEFAULT 0 NOT NULL;