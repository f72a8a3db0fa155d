// Placeholder until the digest function is written (issue 4): lets the stack synthesize.
export async function handler(): Promise<never> {
  throw new Error('digest: not written yet');
}
