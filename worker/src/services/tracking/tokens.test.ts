import { describe, expect, it } from 'vitest';
import { clickToken, newTrackId, openToken, verifyClickToken, verifyOpenToken } from './tokens';

const SECRET = 'tracking-test-secret-0123456789';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

/** Every token that differs from `token` in exactly one character. */
function* oneCharacterChanged(token: string): Generator<string> {
  for (let i = 0; i < token.length; i++) {
    for (const c of ALPHABET) if (c !== token[i]) yield token.slice(0, i) + c + token.slice(i + 1);
  }
}

describe('tracking tokens', () => {
  it('a pixel token verifies, and no token one character away from it does (the last one included)', async () => {
    const trackId = newTrackId();
    const token = await openToken(SECRET, trackId);
    expect(await verifyOpenToken(SECRET, token)).toBe(trackId);
    const accepted: string[] = [];
    for (const changed of oneCharacterChanged(token)) if ((await verifyOpenToken(SECRET, changed)) !== null) accepted.push(changed);
    expect(accepted).toEqual([]);
  });

  it('a link token verifies with its URL, and no token one character away from it does', async () => {
    const trackId = newTrackId();
    // Lengths 1, 2 and 3 modulo 3 leave the URL part's last character with unused bits, or not.
    for (const url of ['https://shop.example.net/a', 'https://shop.example.net/ab', 'https://shop.example.net/abc?x=1&y=2']) {
      const token = await clickToken(SECRET, trackId, url);
      expect(await verifyClickToken(SECRET, token)).toEqual({ trackId, url });
      const accepted: string[] = [];
      for (const changed of oneCharacterChanged(token)) if ((await verifyClickToken(SECRET, changed)) !== null) accepted.push(changed);
      expect(accepted).toEqual([]);
    }
  });

  it('signs a link of any length (a 300 KB URL does not overflow the stack)', async () => {
    const url = `https://example.net/${'a'.repeat(300_000)}`;
    const token = await clickToken(SECRET, newTrackId(), url);
    expect((await verifyClickToken(SECRET, token))?.url).toBe(url);
  });

  it('another secret verifies nothing', async () => {
    const token = await openToken(SECRET, newTrackId());
    expect(await verifyOpenToken(`${SECRET}!`, token)).toBeNull();
  });
});
