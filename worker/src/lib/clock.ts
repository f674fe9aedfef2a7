/** Time and randomness behind one seam so tests and benches can pin them. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Lowercase letters and digits, unbiased, from the platform CSPRNG. */
export function randomToken(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
  const out: string[] = [];
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out.push(alphabet[byte % alphabet.length]!);
    }
  }
  return out.join('');
}
