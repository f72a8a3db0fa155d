// Placeholder until the timer function is written (issue 4): lets the stack synthesize.
export async function handler(): Promise<never> {
  throw new Error('timer: not written yet');
}
