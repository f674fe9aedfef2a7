/** What this server offers, from the public config (loaded once): whether AI writing is on, where its SMTP proxy listens. */
import { reactive } from 'vue';
import { api } from '../api/client';
import { session } from './session';

export const features = reactive({ ai: false, smtpProxy: null as string | null });

let loading: Promise<void> | null = null;

export function loadFeatures(): Promise<void> {
  loading ??= api
    .publicConfig({ sitePassword: session.sitePassword || undefined })
    .then((config) => {
      features.ai = config.ai_enabled;
      features.smtpProxy = config.smtp_proxy;
    })
    .catch(() => {
      // Without the config the UI simply offers no AI buttons; the next page load tries again.
      loading = null;
    });
  return loading;
}
