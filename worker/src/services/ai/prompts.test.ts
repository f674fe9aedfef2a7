import { describe, expect, it } from 'vitest';
import { buildPrompt } from './prompts';

const nonce = 'n0nce';
const message = { from: 'Carol <carol@x.test>', to: 'bob@example.com', subject: 'Lunch', date: null, text: 'Free on Thursday?' };

describe('buildPrompt', () => {
  it('puts the email in an EMAIL block and the guidance in a REQUEST block', () => {
    const { system, user } = buildPrompt({ feature: 'reply', prompt: 'Say yes', message, maxInputChars: 10_000, nonce });
    expect(user).toContain(`<<<EMAIL ${nonce}>>>\nFrom: Carol <carol@x.test>`);
    expect(user).toContain(`<<<REQUEST ${nonce}>>>\nSay yes\n<<<END REQUEST ${nonce}>>>`);
    expect(system).toContain(`<<<NAME ${nonce}>>>`);
    expect(system).not.toContain('Free on Thursday');
  });

  it('treats the prompt as the email when a summary has no message', () => {
    const { user } = buildPrompt({ feature: 'summarize', prompt: 'Dear team, …', maxInputChars: 10_000, nonce });
    expect(user).toContain(`<<<EMAIL ${nonce}>>>\nDear team, …\n<<<END EMAIL ${nonce}>>>`);
    expect(user).not.toContain('<<<REQUEST');
  });

  it('cuts long input at a word boundary and says so', () => {
    const long = 'word '.repeat(5_000);
    const built = buildPrompt({ feature: 'improve', prompt: long, maxInputChars: 2_000, nonce });
    expect(built.truncated).toBe(true);
    expect(built.user).toMatch(/word\n\[… truncated: the original is 25000 characters; only the first \d+ are shown\]/);
    expect(built.user.length).toBeLessThan(2_000);
  });

  it('names the sender when known', () => {
    expect(buildPrompt({ feature: 'compose', prompt: 'x', sender: { address: 'me@example.com' }, maxInputChars: 1_000, nonce }).system).toContain('me@example.com');
    expect(buildPrompt({ feature: 'compose', prompt: 'x', sender: { domain: 'example.org' }, maxInputChars: 1_000, nonce }).system).toContain('example.org');
  });
});
