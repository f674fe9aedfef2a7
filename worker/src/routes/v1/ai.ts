/** /api/v1/ai/generate: compose, reply, summarize, improve; JSON or Server-Sent Events. */
import { createRoute, z } from '@hono/zod-openapi';
import { AI_PROVIDERS } from '../../config';
import { AppError } from '../../lib/errors';
import { domainById, messageContext } from '../../services/ai/context';
import { generate, generateStream, type GenerateMeta } from '../../services/ai/generate';
import { AI_FEATURES } from '../../services/ai/prompts';
import { meta, security, v1Router } from './common';
import { commonErrors, envelope, ErrorEnvelope } from './schemas';

const GenerateBody = z
  .object({
    feature: z.enum(AI_FEATURES).openapi({ description: 'compose: write from the prompt; reply/summarize: about message_id (or the prompt as the email); improve: rewrite the draft in prompt' }),
    prompt: z.string().openapi({ description: 'Instructions, or the email/draft to work on', example: 'Write a short follow-up about our Q2 budget proposal' }),
    message_id: z.string().min(1).max(64).optional().openapi({ description: 'uid (msg_…) of a message the key may read; context for reply and summarize' }),
    domain_id: z.number().int().min(1).optional().openapi({ description: 'Domain written for: its `id` in GET /domains (the DOMAINS entries are 1, 2, … in order)' }),
    provider: z.enum(AI_PROVIDERS).optional().openapi({ description: 'A configured provider; default AI_PROVIDER' }),
    model: z.string().min(1).max(200).optional().openapi({ description: 'Model override (admin keys only: models differ in cost)' }),
    stream: z.boolean().default(false).openapi({ description: 'Answer as Server-Sent Events: delta, then done (or error)' }),
  })
  .openapi('AiGenerateInput');

const AiResult = z
  .object({
    result: z.string(),
    feature: z.enum(AI_FEATURES),
    provider: z.enum(AI_PROVIDERS),
    model: z.string(),
    truncated: z.boolean().openapi({ description: 'The email or draft exceeded AI_MAX_INPUT_CHARS and was cut (the model was told)' }),
  })
  .openapi('AiResult');

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorEnvelope } } });

const route = createRoute({
  method: 'post',
  path: '/ai/generate',
  tags: ['AI'],
  security,
  summary: 'Write, reply, summarize or improve an email with the configured AI provider',
  request: { body: { content: { 'application/json': { schema: GenerateBody } } } },
  responses: {
    200: {
      description:
        'The generated text; with stream: true, text/event-stream events `delta` ({"text"}), then `done` ({"result","feature","provider","model","truncated"}) or `error` ({"code","message"})',
      content: { 'application/json': { schema: envelope(AiResult) }, 'text/event-stream': { schema: z.string() } },
    },
    ...commonErrors,
    413: errorResponse('prompt too large (payload_too_large)'),
    502: errorResponse('The AI provider failed or refused (ai_provider_error)'),
    503: errorResponse('No AI provider configured (ai_not_configured); the message says what to set'),
    504: errorResponse('The AI provider did not answer in time (ai_timeout)'),
  },
});

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** The answer as Server-Sent Events; a client that disconnects cancels the provider call. */
function eventStream(info: GenerateMeta, chunks: AsyncGenerator<string>, cancel: AbortController): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let result = '';
  return new ReadableStream({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) {
          controller.enqueue(encoder.encode(sse('done', { result: result.trim(), ...info })));
          controller.close();
          return;
        }
        result += next.value;
        controller.enqueue(encoder.encode(sse('delta', { text: next.value })));
      } catch (err) {
        const failure = err instanceof AppError ? err : new AppError('ai_provider_error', 'The AI provider failed while answering.');
        if (!(err instanceof AppError)) console.error(JSON.stringify({ level: 'error', event: 'ai_stream_failed', error: String(err) }));
        controller.enqueue(encoder.encode(sse('error', { code: failure.code, message: failure.message })));
        controller.close();
      }
    },
    cancel() {
      cancel.abort();
    },
  });
}

export const aiRoutes = v1Router().openapi(route, async (c) => {
  const body = c.req.valid('json');
  const { deps, principal } = c.var;
  if (body.model !== undefined && principal.kind !== 'admin') {
    throw new AppError('access_denied', 'Only admin keys may choose the model; the server uses its configured one.', 'model');
  }
  const request = {
    feature: body.feature,
    prompt: body.prompt,
    message: body.message_id ? await messageContext(deps, principal, body.message_id) : undefined,
    sender: {
      address: principal.kind === 'mailbox' ? principal.address : undefined,
      domain: body.domain_id === undefined ? undefined : await domainById(deps, body.domain_id),
    },
    provider: body.provider,
    model: body.model,
    rateKey: principal.rateKey,
  };
  if (!body.stream) {
    const data = await generate(deps, request);
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  }
  const cancel = new AbortController();
  const { meta: info, chunks } = await generateStream(deps, request, cancel.signal);
  return c.body(eventStream(info, chunks, cancel), 200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
  });
});
