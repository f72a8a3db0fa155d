/** The surface of shared/periods: other folders import this file, not the files behind it. */
export * from './deadline.ts';
export * from './explanation.ts';
export * from './period.ts';
