/** zod validation at the route edge, failing in the same JSON envelope as every other error. */
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { AppError } from './errors';

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (result.success) return;
    const issue = result.error.issues[0];
    const param = issue?.path.join('.') || undefined;
    const message = issue ? `${param ? `${param}: ` : ''}${issue.message}` : 'Invalid request.';
    throw new AppError('validation_failed', message, param);
  });
}

/** `?limit=&offset=` as the existing clients send them; defaults keep bare calls working. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

/** A numeric path id. */
export const idParam = z.object({ id: z.coerce.number().int().positive() });
