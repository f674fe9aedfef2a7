/**
 * AI writing through POST /api/v1/ai/generate with the address token, streamed: the answer arrives
 * as Server-Sent Events (`delta`, then `done` or `error`) and is handed over piece by piece.
 */
import { ApiFailure, type Credentials } from './client';

export type AiFeature = 'compose' | 'reply' | 'summarize' | 'improve';

export interface AiRequest {
  feature: AiFeature;
  prompt: string;
  /** uid (msg_…) of the message to reply to or summarize. */
  message_id?: string;
}

/** Streams the answer into `onText` (the text so far) and resolves with the whole of it. */
export async function streamAi(creds: Credentials, body: AiRequest, onText: (textSoFar: string) => void, signal?: AbortSignal): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (creds.jwt) headers.authorization = `Bearer ${creds.jwt}`;
  if (creds.sitePassword) headers['x-custom-auth'] = creds.sitePassword;
  const response = await fetch('/api/v1/ai/generate', { method: 'POST', headers, body: JSON.stringify({ ...body, stream: true }), signal });
  if (!response.ok || !response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const error = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiFailure(response.status, error?.error?.code ?? 'http_error', error?.error?.message ?? `HTTP ${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as { text?: string; result?: string; code?: string; message?: string };
      if (event === 'delta' && data.text) onText((text += data.text));
      else if (event === 'done') return data.result ?? text;
      else if (event === 'error') throw new ApiFailure(502, data.code ?? 'ai_provider_error', data.message ?? 'The AI provider failed.');
    }
  }
  return text;
}
