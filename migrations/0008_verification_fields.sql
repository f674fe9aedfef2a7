ALTER TABLE `mails` ADD `verification_code` text;--> statement-breakpoint
ALTER TABLE `mails` ADD `verification_link` text;--> statement-breakpoint
ALTER TABLE `mails` ADD `verification_confidence` real;