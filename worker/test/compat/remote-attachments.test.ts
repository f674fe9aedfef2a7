/**
 * Attachments by URL (services/sending/remote-attachments.ts) against a real local web server
 * (fake-files.ts) and the local DoH server: what is fetched, and every way a caller's URL is refused.
 */
import { describe, expect, inject, it } from 'vitest';
import { AppError } from '../../src/lib/errors';
import { createDeps } from '../../src/services/deps';
import { fetchRemoteAttachments } from '../../src/services/sending/remote-attachments';
import { publish } from '../accounts/helpers';
import { envWith } from '../helpers';

const files = () => inject('filesUrl');
const doh = () => `${inject('dnsUrl')}/dns-query`;
const deps = (vars: Parameters<typeof envWith>[0]) => createDeps(envWith({ DOH_RESOLVER_URL: doh(), ...vars }));
const anyHost = () => deps({ REMOTE_ATTACHMENTS: 'any' });

async function refusal(run: Promise<unknown>): Promise<AppError> {
  const err = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

describe('fetchRemoteAttachments', () => {
  it('fetches the bytes exactly, naming and typing them from the URL and the response', async () => {
    const [pdf, notes, csv] = await fetchRemoteAttachments(anyHost(), [
      { url: `${files()}/files/report.pdf` },
      { url: `${files()}/files/notes`, filename: 'notes.txt' },
      { url: `${files()}/files/no-type.csv`, contentId: 'sheet' },
    ]);
    const expected = new Uint8Array([...new TextEncoder().encode('%PDF-1.4\n'), ...Array.from({ length: 256 }, (_, i) => i), ...new TextEncoder().encode('\n%%EOF\n')]);
    expect(pdf).toMatchObject({ filename: 'report.pdf', contentType: 'application/pdf' });
    expect(decode(pdf!.contentBase64)).toEqual(expected);
    expect(notes).toMatchObject({ filename: 'notes.txt', contentType: 'text/plain' });
    expect(new TextDecoder().decode(decode(notes!.contentBase64))).toBe('plain notes\n');
    // No Content-Type from the server: guessed from the name.
    expect(csv).toMatchObject({ filename: 'no-type.csv', contentType: 'text/csv', contentId: '<sheet>', inline: true });
  });

  it('follows a redirect, and gives up on a loop', async () => {
    const [followed] = await fetchRemoteAttachments(anyHost(), [{ url: `${files()}/redirect/report` }]);
    expect(followed!.filename).toBe('report.pdf');
    const loop = await refusal(fetchRemoteAttachments(anyHost(), [{ url: `${files()}/redirect/loop` }]));
    expect(loop).toMatchObject({ code: 'invalid_attachment' });
    expect(loop.message).toContain('more than 3 redirects');
  });

  it('refuses loopback and private addresses by default (REMOTE_ATTACHMENTS=public), without fetching', async () => {
    const before = (await (await fetch(`${files()}/_requests`)).json()) as string[];
    for (const url of [`${files()}/files/report.pdf`, 'http://[::1]/x', 'http://169.254.169.254/latest/meta-data', 'http://2130706433/x', 'http://localhost:8787/api', 'http://printer.local/x']) {
      const err = await refusal(fetchRemoteAttachments(deps({}), [{ url }]));
      expect(err.code, url).toBe('invalid_attachment');
      expect(err.message, url).toMatch(/private or loopback address|internal host name/);
    }
    const after = (await (await fetch(`${files()}/_requests`)).json()) as string[];
    expect(after.length).toBe(before.length);
  });

  it('refuses a public-looking name that resolves to a private address', async () => {
    await publish([{ type: 'A', name: 'files.sneaky.test', value: '127.0.0.1' }, { type: 'AAAA', name: 'v6.sneaky.test', value: 'fd00::1' }]);
    const v4 = await refusal(fetchRemoteAttachments(deps({}), [{ url: 'http://files.sneaky.test/report.pdf' }]));
    expect(v4.message).toContain('resolves to the private address 127.0.0.1');
    const v6 = await refusal(fetchRemoteAttachments(deps({}), [{ url: 'http://v6.sneaky.test/report.pdf' }]));
    expect(v6.message).toContain('fd00::1');
    const nowhere = await refusal(fetchRemoteAttachments(deps({}), [{ url: 'http://nowhere.sneaky-unknown.test/x' }]));
    expect(nowhere.message).toContain('does not resolve');
  });

  it('lets a name resolving to public addresses through to the fetch, and checks where redirects lead', async () => {
    await publish([{ type: 'A', name: 'cdn.public.test', value: '93.184.215.14' }]);
    const fetched: string[] = [];
    // Stands in for the internet at the public address only; DNS questions go to the local DoH server.
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url.startsWith(doh())) return fetch(input, init);
      fetched.push(url);
      if (url.endsWith('/moved')) return new Response(null, { status: 301, headers: { location: 'http://192.168.1.10/admin' } });
      return new Response('public bytes', { headers: { 'content-type': 'text/plain' } });
    }) as typeof fetch;
    const [ok] = await fetchRemoteAttachments(deps({}), [{ url: 'http://cdn.public.test/a.txt' }], fetcher);
    expect(new TextDecoder().decode(decode(ok!.contentBase64))).toBe('public bytes');
    const redirected = await refusal(fetchRemoteAttachments(deps({}), [{ url: 'http://cdn.public.test/moved' }], fetcher));
    expect(redirected.message).toContain('192.168.1.10 is a private or loopback address');
    expect(fetched).toEqual(['http://cdn.public.test/a.txt', 'http://cdn.public.test/moved']);
  });

  it('refuses a redirect into a private network even when the first host was allowed', async () => {
    await publish([{ type: 'A', name: 'hop.public.test', value: '93.184.215.15' }]);
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).startsWith(doh()) ? fetch(input, init) : new Response(null, { status: 302, headers: { location: `${files()}/files/report.pdf` } })) as typeof fetch;
    const err = await refusal(fetchRemoteAttachments(deps({}), [{ url: 'https://hop.public.test/x' }], fetcher));
    expect(err.message).toContain('127.0.0.1 is a private or loopback address');
  });

  it('refuses other schemes, credentials in URLs, and everything when REMOTE_ATTACHMENTS=off', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'not a url', 'https://user:pw@example.com/x']) {
      expect((await refusal(fetchRemoteAttachments(anyHost(), [{ url }]))).code, url).toBe('invalid_attachment');
    }
    const off = await refusal(fetchRemoteAttachments(deps({ REMOTE_ATTACHMENTS: 'off' }), [{ url: `${files()}/files/report.pdf` }]));
    expect(off.message).toContain('REMOTE_ATTACHMENTS=off');
  });

  it('reports missing files, and stops slow or oversized downloads', async () => {
    const missing = await refusal(fetchRemoteAttachments(anyHost(), [{ url: `${files()}/nothing-here` }]));
    expect(missing.message).toContain('HTTP 404');
    const declared = await refusal(fetchRemoteAttachments(anyHost(), [{ url: `${files()}/files/big-declared` }]));
    expect(declared.code).toBe('payload_too_large');
    const small = deps({ REMOTE_ATTACHMENTS: 'any', MAX_MESSAGE_BYTES: String(256 * 1024) });
    const streamed = await refusal(fetchRemoteAttachments(small, [{ url: `${files()}/files/big-streamed` }]));
    expect(streamed.code).toBe('payload_too_large');
    const slow = await refusal(fetchRemoteAttachments(deps({ REMOTE_ATTACHMENTS: 'any', REMOTE_ATTACHMENT_TIMEOUT_MS: '300' }), [{ url: `${files()}/files/never` }]));
    expect(slow.message).toContain('no answer within 300 ms');
  });

  it('counts every file of a message against one MAX_MESSAGE_BYTES budget', async () => {
    // report.pdf is 272 bytes: three fit in 900, a fourth does not.
    const tight = deps({ REMOTE_ATTACHMENTS: 'any', MAX_MESSAGE_BYTES: '1024' });
    const url = `${files()}/files/report.pdf`;
    expect(await fetchRemoteAttachments(tight, [{ url }, { url }, { url }])).toHaveLength(3);
    expect((await refusal(fetchRemoteAttachments(tight, [{ url }, { url }, { url }, { url }]))).code).toBe('payload_too_large');
  });
});
