CREATE TABLE `email_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email_id` integer NOT NULL,
	`type` text NOT NULL,
	`recipient` text,
	`detail` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`email_id`) REFERENCES `emails`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `email_events_email_idx` ON `email_events` (`email_id`,`id`);--> statement-breakpoint
CREATE TABLE `email_recipients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email_id` integer NOT NULL,
	`address` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`via` text,
	`smtp_code` integer,
	`dsn_code` text,
	`smtp_response` text,
	`provider_id` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`email_id`) REFERENCES `emails`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_recipients_email_address_uq` ON `email_recipients` (`email_id`,`address`);--> statement-breakpoint
CREATE TABLE `emails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`address_id` integer NOT NULL,
	`message_id` text NOT NULL,
	`from_name` text DEFAULT '' NOT NULL,
	`subject` text,
	`to_json` text DEFAULT '[]' NOT NULL,
	`cc_json` text DEFAULT '[]' NOT NULL,
	`bcc_json` text DEFAULT '[]' NOT NULL,
	`tags_json` text DEFAULT '[]' NOT NULL,
	`attachments_json` text DEFAULT '[]' NOT NULL,
	`status` text NOT NULL,
	`payload` blob,
	`payload_key` text,
	`raw` blob,
	`raw_key` text,
	`raw_size` integer DEFAULT 0 NOT NULL,
	`charged` integer DEFAULT false NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`enqueued_at` integer,
	`last_error` text,
	`scheduled_at` integer,
	`sent_at` integer,
	`delivered_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`address_id`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `emails_public_id_uq` ON `emails` (`public_id`);--> statement-breakpoint
CREATE INDEX `emails_address_id_idx` ON `emails` (`address_id`,`id`);--> statement-breakpoint
CREATE INDEX `emails_address_created_idx` ON `emails` (`address_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `emails_status_scheduled_idx` ON `emails` (`status`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `emails_created_idx` ON `emails` (`created_at`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` text NOT NULL,
	`response_status` integer,
	`response_body` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `idempotency_scope_key_uq` ON `idempotency_keys` (`scope`,`key`);--> statement-breakpoint
CREATE INDEX `idempotency_expires_idx` ON `idempotency_keys` (`expires_at`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`domain` text NOT NULL,
	`address` text NOT NULL,
	`reason` text NOT NULL,
	`smtp_code` integer,
	`dsn_code` text,
	`smtp_response` text,
	`source_address_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`source_address_id`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_domain_address_uq` ON `suppressions` (`domain`,`address`);--> statement-breakpoint
CREATE INDEX `suppressions_address_idx` ON `suppressions` (`address`);