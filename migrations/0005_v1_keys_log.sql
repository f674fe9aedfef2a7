CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`type` text NOT NULL,
	`address_id` integer,
	`name` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`expires_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`address_id`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_uq` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_public_id_uq` ON `api_keys` (`public_id`);--> statement-breakpoint
CREATE TABLE `delivery_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`direction` text NOT NULL,
	`status` text NOT NULL,
	`sender` text NOT NULL,
	`sender_domain` text NOT NULL,
	`recipient` text NOT NULL,
	`recipient_domain` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `delivery_log_created_idx` ON `delivery_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `delivery_log_recipient_domain_idx` ON `delivery_log` (`recipient_domain`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `mails_public_id_uq` ON `mails` (`public_id`);--> statement-breakpoint
CREATE INDEX `mails_address_folder_idx` ON `mails` (`address_id`,`folder`,`id`);