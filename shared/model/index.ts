/** The surface of shared/model: other folders import this file, not the files behind it. */
export * from './obligation.ts';
export * from './deadline.ts';
