// The scaled clock lives with the others; this path stays for its importers.
export { ScaledClock } from './clock.ts';
