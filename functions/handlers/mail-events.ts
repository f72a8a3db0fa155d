// Placeholder until the mail-events function is written (issue 5): lets the stack synthesize.
export async function handler(): Promise<never> {
  throw new Error('mail-events: not written yet');
}
