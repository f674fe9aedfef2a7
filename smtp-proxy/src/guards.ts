/**
 * Last line of defence: no client may take the proxy down. Each connection's state lives in its
 * own session, so a stray rejection or exception in one is logged and the server keeps serving
 * the others (under `npm start` a crash would also stop the whole local stack).
 */
export function installProcessGuards(log: (line: string) => void = (line) => console.error(line)): void {
  const report = (event: string) => (err: unknown) =>
    log(JSON.stringify({ event, error: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined }));
  process.on('unhandledRejection', report('smtp_unhandled_rejection'));
  process.on('uncaughtException', report('smtp_uncaught_exception'));
}
