import type { DashboardConfig } from '../config.ts';
import type { Api } from './api.ts';
import type { Session } from './session.ts';
import type { Organisation } from './types.ts';

/** What every view gets: the API, who is signed in, the system's now, the directory, and the page's hooks. */
export interface ViewContext {
  readonly config: DashboardConfig;
  readonly api: Api;
  readonly session: Session;
  /** The system's clock when the view was drawn. */
  readonly now: number;
  readonly organisations: ReadonlyMap<string, Organisation>;
  /** Says something in the live region. */
  say(message: string, kind?: 'info' | 'error'): void;
  /** Draws the current view again (after an act was recorded). */
  refresh(): Promise<void>;
}
