/**
 * The interactive docs page at /api/v1/docs: a self-contained page (no CDN) that reads
 * openapi.json, lists every operation with its parameters and responses, and can call the API
 * with a key typed into the page.
 */
import { errorTableHtml } from './error-reference';

const SCRIPT = `
const $ = (t, a = {}, ...k) => { const e = document.createElement(t); Object.assign(e, a); e.append(...k); return e; };
const spec = await (await fetch('openapi.json')).json();
const main = document.querySelector('main');
const keyInput = document.querySelector('#key');
main.append($('p', {}, spec.info.description ?? ''));
for (const [path, ops] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(ops)) {
    const params = (op.parameters ?? []);
    const inputs = params.map((p) => $('label', {}, p.name + ' (' + p.in + ')', $('input', { name: p.name, placeholder: String(p.example ?? p.schema?.default ?? '') })));
    const bodyBox = op.requestBody ? $('textarea', { placeholder: 'JSON body' }) : null;
    const out = $('pre');
    const run = $('button', { textContent: 'Send' });
    run.onclick = async () => {
      let url = 'https://x' + spec.servers[0].url + path;
      const query = new URLSearchParams();
      for (const [i, p] of params.entries()) {
        const v = inputs[i].querySelector('input').value;
        if (!v) continue;
        if (p.in === 'path') url = url.replace('{' + p.name + '}', encodeURIComponent(v)); else query.set(p.name, v);
      }
      const target = new URL(url).pathname + (query.size ? '?' + query : '');
      const res = await fetch(target, { method: method.toUpperCase(), headers: { authorization: 'Bearer ' + keyInput.value, 'content-type': 'application/json' }, body: bodyBox?.value || undefined });
      const type = res.headers.get('content-type') ?? '';
      out.textContent = res.status + ' ' + res.statusText + '\\n' + (type.includes('json') ? JSON.stringify(await res.json(), null, 2) : await res.text());
    };
    const codes = Object.keys(op.responses).join(', ');
    main.append($('details', {}, $('summary', {}, $('b', { textContent: method.toUpperCase() }), ' ' + path + ' — ' + (op.summary ?? '')), $('p', { textContent: 'Responses: ' + codes }), ...inputs, ...(bodyBox ? [bodyBox] : []), run, out));
  }
}
`;

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:16px;color:#15171a}
details{border:1px solid #dde1e6;border-radius:8px;padding:8px 12px;margin:8px 0}summary{cursor:pointer}
label{display:block;margin:6px 0;font-size:13px;color:#5f6670}input,textarea{display:block;width:100%;padding:6px;border:1px solid #dde1e6;border-radius:6px;font:inherit}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{border-bottom:1px solid #dde1e6;padding:6px;text-align:left;vertical-align:top}tr:target{background:#fff7d6}
textarea{min-height:80px}button{margin:8px 0;padding:6px 14px;border:0;border-radius:6px;background:#2563eb;color:#fff}pre{background:#f6f7f9;padding:8px;white-space:pre-wrap;overflow-wrap:anywhere}`;

/** The page never changes, so it can be cached publicly (a nonce would then be shared anyway). */
export const DOCS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Edgemail API v1</title>
<style>${STYLE}</style>
</head><body><h1>Edgemail API v1</h1><p><a href="openapi.json">openapi.json</a> (OpenAPI 3.1)</p>
<label>API key (sent as Authorization: Bearer)<input id="key" type="password" autocomplete="off"></label><main></main>
${errorTableHtml()}
<script type="module">${SCRIPT}</script></body></html>`;

async function sha256Source(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

let policy: Promise<string> | undefined;

/** A CSP that allows exactly this page's own script and style, by hash; computed once per isolate. */
export function docsPolicy(): Promise<string> {
  policy ??= Promise.all([sha256Source(SCRIPT), sha256Source(STYLE)]).then(
    ([script, style]) => `default-src 'none'; script-src ${script}; style-src ${style}; connect-src 'self'`,
  );
  return policy;
}
