CREATE TABLE `webhook_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` integer NOT NULL,
	`attempt` integer NOT NULL,
	`status_code` integer,
	`latency_ms` integer NOT NULL,
	`response_excerpt` text,
	`error` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery_idx` ON `webhook_attempts` (`delivery_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`webhook_id` integer NOT NULL,
	`message_id` text NOT NULL,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`next_attempt_at` integer,
	`locked_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_public_id_uq` ON `webhook_deliveries` (`public_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_webhook_idx` ON `webhook_deliveries` (`webhook_id`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`url` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`events_json` text NOT NULL,
	`mailbox` text,
	`domain` text,
	`enabled` integer DEFAULT true NOT NULL,
	`secret` text NOT NULL,
	`failing_since` integer,
	`disabled_at` integer,
	`disabled_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhooks_public_id_uq` ON `webhooks` (`public_id`);--> statement-breakpoint
ALTER TABLE `email_recipients` ADD `track_id` text;--> statement-breakpoint
ALTER TABLE `email_recipients` ADD `first_opened_at` integer;--> statement-breakpoint
ALTER TABLE `email_recipients` ADD `first_clicked_at` integer;--> statement-breakpoint
ALTER TABLE `email_recipients` ADD `open_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `email_recipients` ADD `click_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `email_recipients_track_id_uq` ON `email_recipients` (`track_id`);--> statement-breakpoint
ALTER TABLE `emails` ADD `track_opens` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `emails` ADD `track_clicks` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `emails` ADD `tracking_base` text;--> statement-breakpoint
ALTER TABLE `emails` ADD `built_at` integer;--> statement-breakpoint
ALTER TABLE `emails` ADD `first_opened_at` integer;--> statement-breakpoint
ALTER TABLE `emails` ADD `first_clicked_at` integer;--> statement-breakpoint
ALTER TABLE `emails` ADD `first_replied_at` integer;--> statement-breakpoint
ALTER TABLE `emails` ADD `read_at` integer;--> statement-breakpoint
ALTER TABLE `emails` ADD `open_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `emails` ADD `click_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `emails_message_id_idx` ON `emails` (`message_id`);