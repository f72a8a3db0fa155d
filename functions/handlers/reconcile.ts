// Placeholder until the reconcile function is written (issue 4): lets the stack synthesize.
export async function handler(): Promise<never> {
  throw new Error('reconcile: not written yet');
}
