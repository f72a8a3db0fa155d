import type { Texts } from '../base/index.ts';
import type { Counting, Figure, Figures } from './compliance.ts';

/**
 * The quarterly service note's figures of a unit and the units under it (seed 000, item 9): the
 * API answers it (`GET /reports/quarterly`), the dashboard and the exports show it.
 */

/** One rule of the report: what it counts, its figures' names, and why each counts as it does. */
export interface RuleLine {
  readonly rule: string;
  readonly names: Texts;
  readonly counting: Counting;
  readonly figures: readonly Figure[];
  readonly means: Partial<Record<Figure, Texts>>;
  readonly why: readonly string[];
}

export interface UnitFigures {
  readonly org: string;
  readonly kind: string;
  readonly names: Texts;
  readonly parent?: string;
  /** By rule id: only the figures that are not zero. */
  readonly figures: Readonly<Record<string, Figures>>;
}

export interface QuarterlyReport {
  readonly org: string;
  readonly names: Texts;
  readonly quarter: string;
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly rules: readonly RuleLine[];
  /** The unit asked for, then every unit under it that one of the rules acts for. */
  readonly units: readonly UnitFigures[];
  /** The sum over the units. */
  readonly total: Readonly<Record<string, Figures>>;
}
