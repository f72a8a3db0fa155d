// Placeholder until the notify function is written (issue 4): lets the stack synthesize.
export async function handler(): Promise<never> {
  throw new Error('notify: not written yet');
}
