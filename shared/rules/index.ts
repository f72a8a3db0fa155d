/** The surface of shared/rules: other folders import this file, not the files behind it. */
export * from './catalog-table.ts';
export * from './catalog.ts';
export * from './plan.ts';
export * from './rule.ts';
export * from './slots.ts';
export * from './urgency.ts';
