/** The surface of shared/obligations: other folders import this file, not the files behind it. */
export * from './authority.ts';
export * from './lifecycle.ts';
