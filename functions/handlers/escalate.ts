// Placeholder until the escalate function is written (issue 4): lets the stack synthesize.
export async function handler(): Promise<never> {
  throw new Error('escalate: not written yet');
}
