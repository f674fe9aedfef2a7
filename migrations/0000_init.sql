CREATE TABLE `addresses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`address` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_active_at` integer NOT NULL,
	`token_version` integer DEFAULT 0 NOT NULL,
	`mail_count` integer DEFAULT 0 NOT NULL,
	`send_balance` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `addresses_address_uq` ON `addresses` (`address`);--> statement-breakpoint
CREATE INDEX `addresses_last_active_idx` ON `addresses` (`last_active_at`);--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mail_id` integer NOT NULL,
	`idx` integer NOT NULL,
	`filename` text,
	`content_type` text NOT NULL,
	`disposition` text,
	`content_id` text,
	`size` integer NOT NULL,
	`content` blob,
	`blob_key` text,
	FOREIGN KEY (`mail_id`) REFERENCES `mails`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attachments_mail_idx_uq` ON `attachments` (`mail_id`,`idx`);--> statement-breakpoint
CREATE TABLE `mail_contents` (
	`mail_id` integer PRIMARY KEY NOT NULL,
	`raw` blob,
	`raw_key` text,
	`text` text,
	`html` text,
	`bodies_in_raw` integer DEFAULT false NOT NULL,
	`headers_json` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`mail_id`) REFERENCES `mails`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `mails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`address_id` integer NOT NULL,
	`dedupe_key` text NOT NULL,
	`message_id` text,
	`source` text NOT NULL,
	`recipient` text NOT NULL,
	`from_name` text,
	`from_address` text,
	`to_json` text DEFAULT '[]' NOT NULL,
	`cc_json` text DEFAULT '[]' NOT NULL,
	`reply_to_json` text DEFAULT '[]' NOT NULL,
	`subject` text,
	`sent_at` integer,
	`in_reply_to` text,
	`references` text,
	`snippet` text DEFAULT '' NOT NULL,
	`has_attachments` integer DEFAULT false NOT NULL,
	`raw_size` integer NOT NULL,
	`seen` integer DEFAULT false NOT NULL,
	`parse_error` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`address_id`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mails_dedupe_uq` ON `mails` (`address_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `mails_address_id_idx` ON `mails` (`address_id`,`id`);--> statement-breakpoint
CREATE INDEX `mails_created_at_idx` ON `mails` (`created_at`);