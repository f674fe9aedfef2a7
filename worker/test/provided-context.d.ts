// Values the vitest globalSetup files hand to tests (see fake-resend.ts, fake-smtp.ts and scripts/e2e-global-setup.ts).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    resendUrl: string;
    smtpRelayPort: number;
    smtpControlUrl: string;
    workerUrl: string;
    adminPassword: string;
  }
}
