/**
 * AI writing for every door: compose, reply, summarize, improve. Plain inputs in (the feature, the
 * user's text, the message already loaded under the caller's access rules), text out, whole or as
 * a stream. Counts the caller's hourly AI limit and maps provider failures to clear API errors.
 */
import { APICallError, generateText, RetryError, streamText } from 'ai';
import type { AiProviderName } from '../../config';
import { randomToken } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import { enforceLimit, HOUR_MS, type Limit } from '../rate-limit';
import { languageModel } from './models';
import { buildPrompt, type AiFeature, type MessageContext } from './prompts';
import { resolveProvider, type ResolvedProvider } from './settings';

export type AiDeps = Pick<Deps, 'config' | 'aiBinding' | 'rateLimiter' | 'clock'>;

export interface GenerateRequest {
  feature: AiFeature;
  prompt: string;
  /** The referenced message (reply, summarize; context for improve), already access-checked. */
  message?: MessageContext;
  sender?: { address?: string; domain?: string };
  provider?: AiProviderName;
  model?: string;
  /** Whose hourly AI budget this request spends (a key, a mailbox). */
  rateKey: string;
}

export interface GenerateMeta {
  feature: AiFeature;
  provider: AiProviderName;
  model: string;
  /** The email or draft was longer than AI_MAX_INPUT_CHARS and was cut (the model was told). */
  truncated: boolean;
}

// Drafts and emails are capped by AI_MAX_INPUT_CHARS; this only refuses absurd bodies outright.
const MAX_PROMPT_CHARS = 1_000_000;
const MAX_OUTPUT_TOKENS = 1_500;

/** The caller's hourly AI limit (AI_RATE_PER_HOUR), reusable by any door. */
export function aiLimit(deps: Pick<Deps, 'config'>, rateKey: string): Limit {
  const max = deps.config.ai.ratePerHour;
  return { name: `${rateKey}:ai`, max, windowMs: HOUR_MS, describe: `${max} AI requests per hour` };
}

/** Checks everything that can fail before a provider is called, and builds the call. */
async function prepare(deps: AiDeps, req: GenerateRequest, cancel?: AbortSignal) {
  const resolved = resolveProvider(deps.config.ai, deps.aiBinding !== null, req.provider, req.model);
  if (req.prompt.length > MAX_PROMPT_CHARS) throw new AppError('payload_too_large', `prompt is limited to ${MAX_PROMPT_CHARS} characters.`, 'prompt');
  if (!req.message && !req.prompt.trim()) {
    throw new AppError('validation_failed', `prompt must not be empty${req.feature === 'reply' || req.feature === 'summarize' ? ' without message_id' : ''}.`, 'prompt');
  }
  await enforceLimit(deps, aiLimit(deps, req.rateKey));
  const built = buildPrompt({ ...req, maxInputChars: deps.config.ai.maxInputChars, nonce: randomToken(12) });
  const signal = AbortSignal.timeout(deps.config.ai.timeoutMs);
  // The caller going away (a closed stream) stops the provider call too: no tokens spent for nobody.
  const abortSignal = cancel ? AbortSignal.any([signal, cancel]) : signal;
  const call = {
    model: languageModel(deps.config.ai, deps.aiBinding, resolved),
    system: built.system,
    messages: [{ role: 'user' as const, content: built.user }],
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    temperature: req.feature === 'summarize' || req.feature === 'improve' ? 0.2 : 0.6,
    // One retry of a 429/5xx; the client can retry later (the error says it is retryable).
    maxRetries: 1,
    abortSignal,
  };
  const meta: GenerateMeta = { feature: req.feature, provider: resolved.name, model: resolved.model, truncated: built.truncated };
  return { call, meta, resolved, signal };
}

/** The whole answer at once. */
export async function generate(deps: AiDeps, req: GenerateRequest): Promise<GenerateMeta & { result: string }> {
  const { call, meta, resolved, signal } = await prepare(deps, req);
  try {
    const { text } = await generateText(call);
    return { ...meta, result: text.trim() };
  } catch (err) {
    throw providerFailure(err, resolved, signal, deps.config.ai.timeoutMs);
  }
}

/**
 * The answer as it is written. The first piece is awaited here, so a provider that fails at once
 * (bad key, unknown model, timeout) still fails with a plain API error instead of a broken stream;
 * later failures surface from the iterator as AppErrors.
 */
export async function generateStream(
  deps: AiDeps,
  req: GenerateRequest,
  cancel?: AbortSignal,
): Promise<{ meta: GenerateMeta; chunks: AsyncGenerator<string> }> {
  const { call, meta, resolved, signal } = await prepare(deps, req, cancel);
  const timeoutMs = deps.config.ai.timeoutMs;
  // The SDK logs stream errors by default; they are mapped and reported below instead.
  const parts = streamText({ ...call, onError: () => {} }).fullStream[Symbol.asyncIterator]();

  async function nextText(): Promise<string | null> {
    for (;;) {
      let step: IteratorResult<{ type: string; text?: string; error?: unknown }>;
      try {
        step = await parts.next();
      } catch (err) {
        throw providerFailure(err, resolved, signal, timeoutMs);
      }
      if (step.done) return null;
      const part = step.value;
      if (part.type === 'error') throw providerFailure(part.error, resolved, signal, timeoutMs);
      // An aborted stream (our timeout) ends quietly in the SDK; here it is an error.
      if (part.type === 'abort') throw providerFailure(signal.reason, resolved, signal, timeoutMs);
      if (part.type === 'text-delta' && part.text) return part.text;
    }
  }

  const first = await nextText();
  async function* chunks(): AsyncGenerator<string> {
    if (first === null) return;
    yield first;
    for (let next = await nextText(); next !== null; next = await nextText()) yield next;
  }
  return { meta, chunks: chunks() };
}

/** A provider failure as an API error that says what went wrong and what to check; details go to the log. */
function providerFailure(err: unknown, provider: ResolvedProvider, signal: AbortSignal, timeoutMs: number): AppError {
  if (err instanceof AppError) return err;
  const cause = RetryError.isInstance(err) ? err.lastError : err;
  const name = provider.name;
  if (signal.aborted || (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError'))) {
    return new AppError('ai_timeout', `The AI provider (${name}) did not answer within ${Math.round(timeoutMs / 1000)} s (AI_TIMEOUT_MS).`);
  }
  const status = APICallError.isInstance(cause) ? cause.statusCode : undefined;
  console.warn(JSON.stringify({ level: 'warn', event: 'ai_provider_error', provider: name, model: provider.model, status, error: String(cause).slice(0, 500) }));
  const setting = name === 'openai' ? 'OPENAI' : name === 'anthropic' ? 'ANTHROPIC' : 'WORKERS_AI';
  let message: string;
  if (status === 401 || status === 403) message = `The AI provider (${name}) refused the credentials (HTTP ${status}); check ${setting}_API_KEY.`;
  else if (status === 404) message = `The AI provider (${name}) does not know the model "${provider.model}" (HTTP 404); check ${setting}_MODEL or the request's model.`;
  else if (status === 400 || status === 422) message = `The AI provider (${name}) rejected the request (HTTP ${status}); check ${setting}_MODEL and the input.`;
  else if (status === 429) message = `The AI provider (${name}) is rate limiting this server (HTTP 429); try again later.`;
  else if (status !== undefined) message = `The AI provider (${name}) failed with HTTP ${status}; try again later.`;
  else message = `The AI provider (${name}) could not be reached or sent an answer that could not be read.`;
  return new AppError('ai_provider_error', message);
}
