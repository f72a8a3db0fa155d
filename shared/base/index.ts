/** The surface of shared/base: other folders import this file, not the files behind it. */
export * from './acts.ts';
export * from './directory.ts';
export * from './errors.ts';
export * from './identifiers.ts';
export * from './instant.ts';
export * from './local-date.ts';
export * from './personal-data.ts';
export * from './roles.ts';
export * from './source.ts';
export * from './system.ts';
export * from './text.ts';
export * from './texts.ts';
