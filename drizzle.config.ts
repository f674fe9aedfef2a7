import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema and applied by wrangler (`wrangler d1 migrations apply`).
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./worker/src/db/schema.ts', './worker/src/db/schema-sending.ts', './worker/src/db/schema-accounts.ts', './worker/src/db/schema-webhooks.ts'],
  out: './migrations',
});
