/**
 * What the parts of Merzim agree on: the state machines (workflows/), the functions
 * (functions/), the CDK stack (infra/) and the embedded runtime (local/). Change a name here and
 * every side follows, or the type checker says where it does not. A payload one side hands
 * another is a zod schema, and its type is read off the schema: the side that receives it parses
 * it with the same schema the sender is typed by.
 *
 * Import from here, not from the files behind it.
 */
export * from './timer.ts';
export * from './functions.ts';
export * from './table.ts';
export * from './schedules.ts';
export * from './api.ts';
