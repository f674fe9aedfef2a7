// Values the vitest globalSetup files hand to tests (see fake-resend.ts, fake-dns.ts, fake-ai.ts,
// fake-smtp.ts, fake-files.ts, fake-webhook.ts and scripts/e2e-global-setup.ts).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    resendUrl: string;
    /** The local DoH JSON server and DKIM verifier (fake-dns.ts); DoH at `${dnsUrl}/dns-query`. */
    dnsUrl: string;
    /** Base URL of worker/test/fake-ai.ts (`/openai/v1`, `/anthropic/v1`, `/_received`). */
    aiUrl: string;
    /** Base URL of worker/test/fake-files.ts: files to attach by URL (`/files/…`, `/redirect/…`, `/held/<name>`). */
    filesUrl: string;
    /** The fake relays of fake-smtp.ts: plain, STARTTLS, implicit TLS, and STARTTLS with an untrusted certificate. */
    smtpRelayPort: number;
    smtpRelayStartTlsPort: number;
    smtpRelayTlsPort: number;
    smtpRelayUntrustedPort: number;
    /** The local webhook receiver (fake-webhook.ts). */
    webhookUrl: string;
    smtpControlUrl: string;
    workerUrl: string;
    adminPassword: string;
  }
}
