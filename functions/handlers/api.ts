// Placeholder until the api function is written (issue 4): lets the stack synthesize.
export async function handler(): Promise<never> {
  throw new Error('api: not written yet');
}
