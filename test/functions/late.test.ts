import { describe, expect, it } from 'vitest';
import { ON_TIME_MS, STALE_REMINDER_MS, courseOf } from '../../functions/app/late.ts';
import type { Milestone } from '../../shared/rules/index.ts';

/** The plan of a commission's submission (reminders, the deadline, two rungs of escalation), as instants in hours. */
const H = 3_600_000;
const milestones: Milestone[] = [
  { id: 'reminder-1', kind: 'reminder', at: 0 * H, notify: ['addressee'] },
  { id: 'reminder-2', kind: 'reminder', at: 10 * H, notify: ['addressee'] },
  { id: 'due', kind: 'due', at: 20 * H, notify: ['commission-secretary'] },
  { id: 'escalation-1-1', kind: 'escalation', at: 30 * H, notify: ['addressee-head', 'commission-secretary'] },
  { id: 'escalation-2-1', kind: 'escalation', at: 100 * H, notify: ['commission-chair'] },
];
const plan = { milestones, dueAt: 20 * H };
const byId = (id: string): Milestone => milestones.find((milestone) => milestone.id === id) as Milestone;

describe('courseOf: what a timer does with a milestone it reaches late', () => {
  it('tells a milestone reached on time, or within a step’s retries', () => {
    for (const milestone of milestones) {
      expect(courseOf(plan, milestone, milestone.at, 0)).toEqual({ course: 'tell' });
      expect(courseOf(plan, milestone, milestone.at + ON_TIME_MS, 0)).toEqual({ course: 'tell' });
    }
  });

  it('opened after the whole ladder: every passed milestone but the last escalation is skipped, the deadline and the first rung into it', () => {
    const now = 200 * H;
    const opened = 150 * H;
    expect(courseOf(plan, byId('reminder-1'), now, opened)).toEqual({ course: 'skip', reason: 'opened-late' });
    expect(courseOf(plan, byId('reminder-2'), now, opened)).toEqual({ course: 'skip', reason: 'opened-late' });
    expect(courseOf(plan, byId('due'), now, opened)).toEqual({ course: 'skip', reason: 'opened-late', into: byId('escalation-2-1') });
    expect(courseOf(plan, byId('escalation-1-1'), now, opened)).toEqual({ course: 'skip', reason: 'opened-late', into: byId('escalation-2-1') });
    expect(courseOf(plan, byId('escalation-2-1'), now, opened)).toEqual({ course: 'tell' });
  });

  it('a timer restarted between the rungs: the deadline collapses into the first rung, which tells; the second waits for its time', () => {
    const now = 50 * H;
    expect(courseOf(plan, byId('due'), now, 0)).toEqual({ course: 'skip', reason: 'timer-late', into: byId('escalation-1-1') });
    expect(courseOf(plan, byId('escalation-1-1'), now, 0)).toEqual({ course: 'tell' });
  });

  it('a reminder reached late before the deadline: the later reminder tells, a day-old one is skipped, a fresh one tells', () => {
    expect(courseOf(plan, byId('reminder-1'), 15 * H, 0)).toEqual({ course: 'skip', reason: 'timer-late', into: byId('reminder-2') });
    expect(courseOf(plan, byId('reminder-2'), 15 * H, 0)).toEqual({ course: 'tell' });
    const stale = { milestones, dueAt: 100 * H };
    expect(courseOf(stale, byId('reminder-2'), 10 * H + STALE_REMINDER_MS + 1, 0)).toEqual({ course: 'skip', reason: 'timer-late' });
  });

  it('a milestone that tells nobody is never recorded as skipped', () => {
    const silent: Milestone = { id: 'due', kind: 'due', at: 20 * H, notify: [] };
    expect(courseOf({ milestones: [silent, byId('escalation-2-1')], dueAt: 20 * H }, silent, 200 * H, 150 * H)).toEqual({ course: 'tell' });
  });
});
