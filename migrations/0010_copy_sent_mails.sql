-- Moves the Sent box written before the sending API (sent_mails) into emails / email_recipients,
-- so existing Sent boxes stay readable after the upgrade. sent_mails is dropped by the next migration.
INSERT INTO `emails` (`public_id`, `address_id`, `message_id`, `subject`, `to_json`, `cc_json`, `status`, `raw`, `raw_key`, `raw_size`, `charged`, `attempts`, `sent_at`, `created_at`, `updated_at`)
SELECT
  'em_' || lower(hex(randomblob(12))),
  `address_id`, `message_id`, `subject`, `to_json`, `cc_json`,
  CASE `status` WHEN 'partial' THEN 'partially_failed' ELSE `status` END,
  `raw`, `raw_key`, `raw_size`, 1, 1,
  CASE `status` WHEN 'failed' THEN NULL ELSE `created_at` END,
  `created_at`, `created_at`
FROM `sent_mails` ORDER BY `id`;
--> statement-breakpoint
INSERT OR IGNORE INTO `email_recipients` (`email_id`, `address`, `type`, `status`, `via`, `smtp_response`, `provider_id`, `updated_at`)
SELECT
  e.`id`,
  json_extract(r.value, '$.address'),
  CASE
    WHEN EXISTS (SELECT 1 FROM json_each(s.`to_json`) t WHERE lower(json_extract(t.value, '$.address')) = json_extract(r.value, '$.address')) THEN 'to'
    WHEN EXISTS (SELECT 1 FROM json_each(s.`cc_json`) c WHERE lower(json_extract(c.value, '$.address')) = json_extract(r.value, '$.address')) THEN 'cc'
    ELSE 'bcc'
  END,
  CASE
    WHEN json_extract(r.value, '$.status') = 'failed' THEN 'failed'
    WHEN json_extract(r.value, '$.via') = 'internal' THEN 'delivered'
    ELSE 'sent'
  END,
  json_extract(r.value, '$.via'),
  json_extract(r.value, '$.error'),
  json_extract(r.value, '$.provider_id'),
  s.`created_at`
FROM `sent_mails` s
JOIN `emails` e ON e.`address_id` = s.`address_id` AND e.`message_id` = s.`message_id` AND e.`created_at` = s.`created_at`
JOIN json_each(s.`recipients_json`) r;
