/**
 * Turns a resolved provider into a Vercel AI SDK language model. Provider clients are built once
 * per settings object (that is, once per isolate), not per request.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModel } from 'ai';
import { createWorkersAI } from 'workers-ai-provider';
import type { AiSettings } from '../../config';
import type { ResolvedProvider } from './settings';

type Clients = {
  openai: ReturnType<typeof createOpenAI>;
  anthropic: ReturnType<typeof createAnthropic>;
};

const clients = new WeakMap<AiSettings, Clients>();

function clientsFor(settings: AiSettings): Clients {
  let built = clients.get(settings);
  if (!built) {
    built = {
      // A keyless OpenAI-compatible server still gets a syntactically valid bearer token.
      openai: createOpenAI({ apiKey: settings.openai.apiKey ?? 'not-needed', baseURL: settings.openai.baseUrl }),
      anthropic: createAnthropic({ apiKey: settings.anthropic.apiKey ?? '', baseURL: settings.anthropic.baseUrl }),
    };
    clients.set(settings, built);
  }
  return built;
}

export function languageModel(settings: AiSettings, binding: Ai | null, provider: ResolvedProvider): LanguageModel {
  switch (provider.name) {
    case 'openai':
      // The chat-completions protocol, which every OpenAI-compatible server (vLLM, Ollama, LM Studio) speaks.
      return clientsFor(settings).openai.chat(provider.model);
    case 'anthropic':
      return clientsFor(settings).anthropic(provider.model);
    case 'workers-ai':
      if (!binding) throw new Error('workers-ai resolved without an AI binding');
      return createWorkersAI({ binding })(provider.model as Parameters<ReturnType<typeof createWorkersAI>>[0]);
  }
}
