/** Shared plumbing of the AI tests: envs pointing at worker/test/fake-ai.ts, calls, what the fake received. */
import { inject } from 'vitest';
import { adminKey, mailboxPath, v1 } from './helpers';
import { deliver, envWith, json, TestEmailMessage } from '../helpers';
import type { ReceivedAiRequest } from '../fake-ai';

export const ai = () => inject('aiUrl');
export const openaiEnv = (extra: Record<string, string> = {}) =>
  envWith({ AI_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${ai()}/openai/v1`, OPENAI_MODEL: 'fake-echo', ...extra });
export const bothEnv = (extra: Record<string, string> = {}) =>
  openaiEnv({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: `${ai()}/anthropic/v1`, ANTHROPIC_MODEL: 'fake-echo', ...extra });

/** What the fake recorded of one request (type only: the fake itself runs in Node, outside workerd). */
export type Received = ReceivedAiRequest;

/** The requests the fake received whose user text contains `marker`. */
export async function sent(marker: string): Promise<Received[]> {
  const all = (await (await fetch(`${ai()}/_received`)).json()) as Received[];
  return all.filter((r) => r.user.includes(marker));
}

export const generate = (key: string, body: Record<string, unknown>, e: Env) => v1(key, '/ai/generate', { method: 'POST', body: JSON.stringify(body) }, e);

export function mail(from: string, to: string, subject: string, body: string): Uint8Array {
  return new TextEncoder().encode(
    [`From: Carol <${from}>`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${crypto.randomUUID()}@sender.test>`, 'Date: Tue, 12 May 2026 09:00:00 +0000', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'),
  );
}

export async function deliverTo(address: string, subject: string, body: string): Promise<string> {
  await deliver(new TestEmailMessage('carol@sender.test', address, mail('carol@sender.test', address, subject, body)));
  const admin = await adminKey('lookup');
  const list = await json(await v1(admin, `${mailboxPath(address)}/messages`));
  return list.data.find((m: { subject: string }) => m.subject === subject).uid;
}

/** Reads a text/event-stream body into its events. */
export async function events(res: Response): Promise<{ event: string; data: any }[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message',
      data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null'),
    }));
}
