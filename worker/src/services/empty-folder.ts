/**
 * Emptying a folder: every message in it deleted for good, with its R2 objects. A folder can hold
 * more than one invocation may delete (each 40 messages cost two D1 queries and an R2 call), so one
 * call deletes up to EMPTY_FOLDER_PER_CALL and says whether more remain; callers repeat until not.
 */
import { idsInFolder } from '../db/folders';
import type { AddressRow } from '../db/schema';
import type { Deps } from './deps';
import type { Folder } from './folders';
import { deleteMessages } from './mailbox';

/** 400 messages: 22 D1 queries with the credential's, within the 50 a Workers Free invocation may make. */
export const EMPTY_FOLDER_PER_CALL = 400;

export async function emptyFolder(deps: Deps, mailbox: AddressRow, folder: Folder): Promise<{ deleted: number; more: boolean }> {
  const ids = await idsInFolder(deps.db, mailbox.id, folder, EMPTY_FOLDER_PER_CALL + 1);
  const deleted = await deleteMessages(deps, mailbox.id, ids.slice(0, EMPTY_FOLDER_PER_CALL));
  return { deleted, more: ids.length > EMPTY_FOLDER_PER_CALL };
}
