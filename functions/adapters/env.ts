import type { ENV } from '../../contract/index.ts';

/** A variable the function cannot work without: its absence is an error of the deployment, said by name. */
export function requiredEnv(name: (typeof ENV)[keyof typeof ENV]): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`the function's environment lacks ${name}`);
  return value;
}
