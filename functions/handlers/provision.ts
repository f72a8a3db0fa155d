// Placeholder until the provision function is written (issue 4): lets the stack synthesize.
export async function handler(): Promise<never> {
  throw new Error('provision: not written yet');
}
