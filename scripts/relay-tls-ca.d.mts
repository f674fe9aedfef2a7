// Types for relay-tls-ca.mjs (imported for its side effect by vitest.config.ts, and by worker/test/fake-smtp.ts).
/** The environment variable naming the directory with `relay.key`/`relay.pem` (trusted) and `untrusted.key`/`untrusted.pem`. */
export declare const RELAY_TLS_DIR: string;
