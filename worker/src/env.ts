/** The Hono environment for the whole Worker: bindings from `wrangler types`, variables set by middleware. */
import type { AddressRow } from './db/schema';
import type { Deps } from './services/deps';
import type { Principal } from './services/principal';

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    deps: Deps;
    /** The mailbox an address token resolved to; set by `requireAddress`. */
    mailbox: AddressRow;
    /** Who is calling; set by `requireAddress` and by the v1 auth middleware. */
    principal: Principal;
  };
}
