/** AI provider failures mapped to API errors, and the hourly per-key AI limit. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAddress, envWith, json } from '../helpers';
import { bothEnv, generate, openaiEnv } from './ai-helpers';
import { adminKey, mailboxKey } from './helpers';

let admin: string;
beforeAll(async () => {
  admin = await adminKey('ai errors');
});

describe('provider errors', () => {
  it('maps a rejected key to 502 ai_provider_error naming the setting', async () => {
    const res = await generate(admin, { feature: 'compose', prompt: 'x' }, bothEnv({ ANTHROPIC_API_KEY: 'wrong', AI_PROVIDER: 'anthropic' }));
    expect(res.status).toBe(502);
    const { error } = await json(res);
    expect(error).toMatchObject({ code: 'ai_provider_error', retryable: true });
    expect(error.message).toContain('ANTHROPIC_API_KEY');
  });

  it('maps a server failure to 502 and an unknown model to 502 naming the model', async () => {
    const failed = await json(await generate(admin, { feature: 'compose', prompt: 'x' }, openaiEnv({ OPENAI_MODEL: 'fake-500' })));
    expect(failed.error.code).toBe('ai_provider_error');
    expect(failed.error.message).toContain('HTTP 500');
    const missing = await json(await generate(admin, { feature: 'compose', prompt: 'x' }, openaiEnv({ OPENAI_MODEL: 'fake-missing' })));
    expect(missing.error.message).toContain('"fake-missing"');
  });

  it('maps a provider that does not answer in AI_TIMEOUT_MS to 504 ai_timeout', async () => {
    const res = await generate(admin, { feature: 'compose', prompt: 'x' }, openaiEnv({ OPENAI_MODEL: 'fake-slow', AI_TIMEOUT_MS: '300' }));
    expect(res.status).toBe(504);
    expect((await json(res)).error).toMatchObject({ code: 'ai_timeout', retryable: true });
  });

  it('maps an unreachable provider to 502', async () => {
    const res = await generate(admin, { feature: 'compose', prompt: 'x' }, openaiEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }));
    expect(res.status).toBe(502);
    expect((await json(res)).error.message).toContain('could not be reached');
  });
});

describe('limits', () => {
  it('allows AI_RATE_PER_HOUR requests per key, then 429 with Retry-After', async () => {
    const box = await createAddress('ai-limit');
    const { key } = await mailboxKey(admin, box.address);
    const e = openaiEnv({ AI_RATE_PER_HOUR: '2' });
    expect((await generate(key, { feature: 'compose', prompt: 'one' }, e)).status).toBe(200);
    expect((await generate(key, { feature: 'compose', prompt: 'two' }, e)).status).toBe(200);
    const refused = await generate(key, { feature: 'compose', prompt: 'three' }, e);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect((await json(refused)).error.message).toContain('2 AI requests per hour');
    // Another key has its own budget.
    const other = await mailboxKey(admin, box.address);
    expect((await generate(other.key, { feature: 'compose', prompt: 'four' }, e)).status).toBe(200);
  });

  it('does not spend the budget on requests that cannot run (AI off)', async () => {
    const box = await createAddress('ai-limit-off');
    const { key } = await mailboxKey(admin, box.address);
    for (let i = 0; i < 3; i++) expect((await generate(key, { feature: 'compose', prompt: 'x' }, envWith({ AI_RATE_PER_HOUR: '1' }))).status).toBe(503);
    expect((await generate(key, { feature: 'compose', prompt: 'x' }, openaiEnv({ AI_RATE_PER_HOUR: '1' }))).status).toBe(200);
  });
});
