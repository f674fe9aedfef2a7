/**
 * `npm run import-mbox` against the real Worker under `wrangler dev`: an mbox larger than one request
 * may hold is cut at its "From " lines into parts and imported whole, and a second run stores nothing
 * twice.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, newAddress, workerUrl } from '../../smtp-proxy/test/harness';

const dir = mkdtempSync(join(tmpdir(), 'edgemail-import-'));
const file = join(dir, 'archive.mbox');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// CRLF and LF messages, a quoted ">From" body line, and an 8-bit body: split only at "From " lines.
beforeAll(() => {
  const messages = Array.from({ length: 10 }, (_, i) => {
    const eol = i % 2 ? '\r\n' : '\n';
    return [`From s${i}@sender.test Mon Mar  2 10:00:0${i} 2026`, `From: s${i}@sender.test`, `Subject: Part ${i}`, `Message-ID: <part-${i}@sender.test>`, '', `Body ${i}`, '>From the archive, quoted.', ''].join(eol);
  });
  writeFileSync(file, Buffer.concat([...messages.map((m) => Buffer.from(m, 'utf8')), Buffer.from([0xe9, 0x0a])]));
});

function importMbox(to: string, file: string, perRequest: number) {
  const result = spawnSync('node', ['scripts/import-mbox.mjs', '--url', workerUrl(), '--to', to, '--per-request', String(perRequest), file], {
    encoding: 'utf8',
    env: { ...process.env, EDGEMAIL_ADMIN_PASSWORD: inject('adminPassword') },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, total: JSON.parse(result.stdout.trim().split('\n').at(-1) || 'null') };
}

describe('npm run import-mbox', () => {
  it('imports an mbox in parts of at most --per-request messages, and skips them all on a second run', async () => {
    const { address, jwt } = await newAddress('import-script');

    const first = importMbox(address, file, 3);
    expect(first.status, first.stderr).toBe(0);
    expect(first.total).toEqual({ imported: 10, duplicates: 0, failed: 0, requests: 4, messages: 10 });
    const listed = await api<{ results: { subject: string }[]; count: number }>('/api/parsed_mails?limit=20', jwt);
    expect(listed.count).toBe(10);
    expect(listed.results.map((m) => m.subject).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Part ${i}`));

    const again = importMbox(address, file, 4);
    expect(again.status, again.stderr).toBe(0);
    expect(again.total).toEqual({ imported: 0, duplicates: 10, failed: 0, requests: 3, messages: 10 });
  });

  it('stops with the reason when the Worker refuses it', () => {
    const result = importMbox('nobody@elsewhere.test', file, 5);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/import refused: 4\d\d /);
  });
});
