/**
 * Turns untrusted mail HTML into an inert document for a sandboxed iframe. Layers, each enough on
 * its own for scripts: DOMParser never runs or loads anything; dangerous elements and attributes are
 * removed; the iframe is sandboxed without allow-scripts (it is same-origin only so that the app can
 * measure its height); and the document's CSP allows no script, no remote style, no fonts, and
 * remote images only once the user allows them.
 */

const DROP = 'script,noscript,iframe,frame,frameset,object,embed,applet,form,input,button,select,textarea,base,meta,link,portal,template';
const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster', 'lowsrc', 'dynsrc', 'srcset', 'ping'];
const DANGEROUS_URL = /^\s*(javascript|vbscript|data:text\/html|data:image\/svg)/i;
const REMOTE = /(^|[\s,(])(https?:)?\/\//i;

export interface MailDocument {
  srcdoc: string;
  /** How many remote resources (images, CSS urls) the mail references: "load images" is offered when > 0. */
  remoteCount: number;
}

export function buildMailDocument(html: string, opts: { allowRemote: boolean; inlineImages?: Map<string, string> }): MailDocument {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll(DROP).forEach((el) => el.remove());
  let remoteCount = 0;

  for (const el of Array.from(doc.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) {
        el.removeAttribute(attr.name);
        continue;
      }
      if (URL_ATTRS.includes(name) && DANGEROUS_URL.test(attr.value)) {
        el.removeAttribute(attr.name);
        continue;
      }
      if (name === 'style' && /url\s*\(/i.test(attr.value) && REMOTE.test(attr.value)) remoteCount++;
    }
    if (el instanceof HTMLImageElement || el.tagName.toLowerCase() === 'img') {
      const src = el.getAttribute('src') ?? '';
      const cid = /^cid:(.+)$/i.exec(src.trim());
      if (cid) {
        const inline = opts.inlineImages?.get(`<${cid[1]}>`) ?? opts.inlineImages?.get(cid[1]!);
        if (inline) el.setAttribute('src', inline);
      } else if (REMOTE.test(src) || REMOTE.test(el.getAttribute('srcset') ?? '')) {
        remoteCount++;
      }
    }
    if (el.getAttribute('background') && REMOTE.test(el.getAttribute('background')!)) remoteCount++;
    if (el.tagName.toLowerCase() === 'a') {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
  }
  const styles = Array.from(doc.querySelectorAll('style'));
  remoteCount += styles.filter((s) => /url\s*\(\s*['"]?\s*(https?:)?\/\//i.test(s.textContent ?? '')).length;
  const headStyles = Array.from(doc.head.querySelectorAll('style'))
    .map((s) => s.outerHTML)
    .join('');

  const imgSrc = opts.allowRemote ? 'data: http: https:' : 'data:';
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src ${imgSrc}; font-src data:; media-src 'none'; form-action 'none'`;
  const srcdoc =
    `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<base target="_blank"><style>html{color-scheme:light}body{margin:12px;font:14px/1.5 system-ui,sans-serif;color:#111;background:#fff;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style>` +
    `${headStyles}</head><body>${doc.body.innerHTML}</body></html>`;
  return { srcdoc, remoteCount };
}
