CREATE TABLE `folder_counts` (
	`address_id` integer NOT NULL,
	`folder` text NOT NULL,
	`messages` integer DEFAULT 0 NOT NULL,
	`unread` integer DEFAULT 0 NOT NULL,
	`size` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`address_id`, `folder`),
	FOREIGN KEY (`address_id`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `search_pending` (
	`mail_id` integer PRIMARY KEY NOT NULL,
	`mailbox` text NOT NULL,
	`subject` text NOT NULL,
	`sender` text NOT NULL,
	`recipients` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`mail_id`) REFERENCES `mails`(`id`) ON UPDATE no action ON DELETE cascade
);
