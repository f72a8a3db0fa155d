/** The surface of shared/reports: other folders import this file, not the files behind it. */
export * from './compliance.ts';
export * from './quarter.ts';
export * from './quarterly-report.ts';
export * from './unanswered.ts';
