// What the local runtime costs before Edgemail does anything (bench/floors.mjs). For a delivery, the
// recipient's local part picks how far this Worker goes, each step adding one thing to the one
// before; for requests, the path does.
const SIX_ROWS = 6;

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/health') {
      await env.DB.exec('CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, mailbox INTEGER NOT NULL, size INTEGER NOT NULL, body TEXT)');
      return new Response('ok');
    }
    // Latency: a request that needs nothing, and one that needs one D1 round trip (as a first page does).
    if (pathname === '/plain') return new Response('ok');
    if (pathname === '/select') return Response.json((await env.DB.prepare('SELECT 1 AS one').all()).results);
    // Large messages (memory): the request path alone; the body streamed into R2 without passing
    // through JavaScript; read into one buffer; then written to R2, parsed, or both, as a delivery does.
    if (pathname === '/sink') return new Response('ok');
    if (pathname === '/r2') {
      await env.BLOBS.put(`floors/${crypto.randomUUID()}`, request.body);
      return new Response('ok');
    }
    const raw = new Uint8Array(await request.arrayBuffer());
    const store = (bytes) => env.BLOBS.put(`floors/${crypto.randomUUID()}`, bytes);
    if (pathname === '/read') return new Response(String(raw.byteLength));
    if (pathname === '/read-r2') {
      await store(raw);
      return new Response('ok');
    }
    if (pathname === '/read-parse' || pathname === '/read-parse-r2') {
      const { default: PostalMime } = await import('postal-mime');
      const parsed = await PostalMime.parse(raw);
      if (pathname === '/read-parse-r2') await Promise.all([store(raw), ...parsed.attachments.map((a) => store(a.content))]);
      return new Response(String(parsed.attachments.length));
    }
    return new Response('not found', { status: 404 });
  },

  async email(message, env) {
    const step = message.to.split('@')[0];
    if (step === 'null') return;
    const raw = await new Response(message.raw).text();
    if (step === 'read') return;
    if (step === 'select') {
      await env.DB.prepare('SELECT 1').all();
      return;
    }
    const insert = env.DB.prepare('INSERT INTO rows (mailbox, size, body) VALUES (?1, ?2, ?3)');
    if (step === 'write') {
      await insert.bind(1, raw.length, raw).run();
      return;
    }
    if (step === 'batch') {
      await env.DB.batch(Array.from({ length: SIX_ROWS }, (_, i) => insert.bind(1, raw.length, i === 0 ? raw : null)));
      return;
    }
    throw new Error(`unknown step ${step}`);
  },
};
