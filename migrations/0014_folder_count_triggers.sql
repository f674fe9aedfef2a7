-- Custom migration: keep `folder_counts` exact on every path that changes mail (ingest, move, flag,
-- draft update, delete, cascade from a deleted address), so folder totals never need count(*) over a
-- mailbox. A deleted row only decrements: its counter row exists since the row's insert (or the
-- backfill below), or is already gone with its address.
INSERT INTO `folder_counts` (`address_id`, `folder`, `messages`, `unread`, `size`)
  SELECT `address_id`, `folder`, count(*), sum(`seen` = 0), coalesce(sum(`raw_size`), 0) FROM `mails` GROUP BY `address_id`, `folder`;--> statement-breakpoint
CREATE TRIGGER `folder_counts_insert` AFTER INSERT ON `mails` BEGIN
  INSERT INTO `folder_counts` (`address_id`, `folder`, `messages`, `unread`, `size`) VALUES (new.`address_id`, new.`folder`, 1, new.`seen` = 0, new.`raw_size`)
    ON CONFLICT (`address_id`, `folder`) DO UPDATE SET `messages` = `messages` + 1, `unread` = `unread` + excluded.`unread`, `size` = `size` + excluded.`size`;
END;--> statement-breakpoint
CREATE TRIGGER `folder_counts_delete` AFTER DELETE ON `mails` BEGIN
  UPDATE `folder_counts` SET `messages` = `messages` - 1, `unread` = `unread` - (old.`seen` = 0), `size` = `size` - old.`raw_size`
    WHERE `address_id` = old.`address_id` AND `folder` = old.`folder`;
END;--> statement-breakpoint
CREATE TRIGGER `folder_counts_update` AFTER UPDATE OF `folder`, `seen`, `raw_size` ON `mails` BEGIN
  UPDATE `folder_counts` SET `messages` = `messages` - 1, `unread` = `unread` - (old.`seen` = 0), `size` = `size` - old.`raw_size`
    WHERE `address_id` = old.`address_id` AND `folder` = old.`folder`;
  INSERT INTO `folder_counts` (`address_id`, `folder`, `messages`, `unread`, `size`) VALUES (new.`address_id`, new.`folder`, 1, new.`seen` = 0, new.`raw_size`)
    ON CONFLICT (`address_id`, `folder`) DO UPDATE SET `messages` = `messages` + 1, `unread` = `unread` + excluded.`unread`, `size` = `size` + excluded.`size`;
END;
