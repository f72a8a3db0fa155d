/** The surface of shared/i18n: other folders import this file, not the files behind it. */
export * from './act-notices.ts';
export * from './digest.ts';
export * from './explanation.ts';
export * from './labels.ts';
export * from './morning.ts';
export * from './notices.ts';
export * from './plan-terms.ts';
export * from './plan-view.ts';
export * from './plural.ts';
