/** Constant-time comparison of a presented secret against a list of accepted ones. */

async function digest(value: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
}

/** Hashing first gives equal-length inputs, so timing reveals neither content nor length. */
export async function matchesAny(presented: string | undefined, accepted: string[]): Promise<boolean> {
  if (!presented || accepted.length === 0) return false;
  const given = await digest(presented);
  let match = false;
  for (const candidate of accepted) {
    if (crypto.subtle.timingSafeEqual(given, await digest(candidate))) match = true;
  }
  return match;
}
