// A minimal Chrome DevTools Protocol client for the Worker isolate under `wrangler dev`, through
// wrangler's inspector proxy (start the Worker with `startWorker(..., { inspectorPort })`). Node 20
// needs `--experimental-websocket` for the global WebSocket.

/** Connects to the inspector; `send(method, params)` resolves with the result. */
export async function connectInspector(port) {
  // wrangler's inspector proxy only accepts local DevTools origins.
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { origin: 'http://127.0.0.1' } });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot connect to the inspector on ${port}`));
  });
  let nextId = 1;
  const pending = new Map();
  ws.onmessage = (event) => {
    const msg = JSON.parse(event.data);
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(msg.error.message));
      else resolve(msg.result);
    }
  };
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Runtime.enable');
  return { send, close: () => ws.close() };
}

/**
 * The isolate's memory in MiB: its JS heap plus the ArrayBuffer backing stores it holds (what the
 * Workers 128 MB limit counts), as V8 reports them.
 */
export async function isolateMemoryMiB(inspector) {
  const usage = await inspector.send('Runtime.getHeapUsage');
  return (usage.usedSize + (usage.backingStorageSize ?? 0)) / 1024 / 1024;
}

/** Samples isolate memory every `intervalMs` until `stop()`; resolves with the peak seen, in MiB. */
export function sampleIsolateMemory(inspector, intervalMs = 10) {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await isolateMemoryMiB(inspector));
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return { stop: async () => ((running = false), await loop, peak) };
}
