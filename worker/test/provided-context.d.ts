// Values the vitest globalSetup files hand to tests (see fake-resend.ts and smtp-proxy/test/global-setup.ts).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    resendUrl: string;
    workerUrl: string;
  }
}
