/**
 * Which AI provider answers a request: the one asked for, else AI_PROVIDER, else the first that is
 * configured (Workers AI when bound). Nothing is sent anywhere until an admin configured one.
 */
import type { AiProviderName, AiSettings } from '../../config';
import { AppError } from '../../lib/errors';

export interface ResolvedProvider {
  name: AiProviderName;
  model: string;
}

/** What an admin sets to make each provider usable, for the 503 message. */
const HOW_TO: Record<AiProviderName, string> = {
  'workers-ai': 'bind Workers AI ([ai] binding = "AI" in wrangler.toml)',
  openai: 'set the OPENAI_API_KEY secret (or OPENAI_BASE_URL to an OpenAI-compatible server)',
  anthropic: 'set the ANTHROPIC_API_KEY secret',
};

export function isConfigured(settings: AiSettings, hasBinding: boolean, name: AiProviderName): boolean {
  if (name === 'workers-ai') return hasBinding;
  // Self-hosted OpenAI-compatible servers (Ollama, vLLM, LM Studio) often need no key.
  if (name === 'openai') return settings.openai.apiKey !== null || settings.openai.customBaseUrl;
  return settings.anthropic.apiKey !== null;
}

/** The provider used when a request names none; null when AI is off. */
export function defaultProvider(settings: AiSettings, hasBinding: boolean): AiProviderName | null {
  if (settings.provider) return isConfigured(settings, hasBinding, settings.provider) ? settings.provider : null;
  const order: AiProviderName[] = ['workers-ai', 'openai', 'anthropic'];
  return order.find((name) => isConfigured(settings, hasBinding, name)) ?? null;
}

/** Whether AI features are available at all (the public config tells the web UI). */
export function aiEnabled(settings: AiSettings, hasBinding: boolean): boolean {
  return defaultProvider(settings, hasBinding) !== null;
}

export function modelOf(settings: AiSettings, name: AiProviderName): string {
  return name === 'openai' ? settings.openai.model : name === 'anthropic' ? settings.anthropic.model : settings.workersAi.model;
}

/** The provider and model for one request; `ai_not_configured` (503) says what to set. */
export function resolveProvider(settings: AiSettings, hasBinding: boolean, requested?: AiProviderName, model?: string): ResolvedProvider {
  if (requested) {
    if (!isConfigured(settings, hasBinding, requested)) {
      throw new AppError('ai_not_configured', `The ${requested} AI provider is not configured on this server: ${HOW_TO[requested]}.`, 'provider');
    }
    return { name: requested, model: model ?? modelOf(settings, requested) };
  }
  const name = defaultProvider(settings, hasBinding);
  if (!name) {
    const why = settings.provider ? `AI_PROVIDER is ${settings.provider}, but it is not set up: ${HOW_TO[settings.provider]}` : `to enable it, ${HOW_TO.openai}, ${HOW_TO.anthropic}, or ${HOW_TO['workers-ai']}; AI_PROVIDER picks one when several are set`;
    throw new AppError('ai_not_configured', `AI is not configured on this server (${why}).`);
  }
  return { name, model: model ?? modelOf(settings, name) };
}
