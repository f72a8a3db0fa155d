import { describe, expect, it } from 'vitest';
import {
  type BillModel,
  NONE,
  PERMANENT_FREE_A_YEAR,
  PRICES,
  type Prices,
  billOf,
  lifecyclesAYear,
  morningMails,
  perMailAndNotice,
  plus,
  yearlyBill,
  yearlyCounts,
} from '../../bench/bill.ts';

/** Round prices, so that every expected dollar below is worked out by hand. */
const ROUND: Prices = {
  stepFunctionsPerTransition: 0.001,
  lambdaPerRequest: 0.01,
  lambdaPerGbSecondArm: 0.1,
  dynamoPerWru: 0.002,
  dynamoPerRru: 0.0005,
  sesPerMail: 0.01,
  pipesPerRequest: 0.003,
  schedulerPerInvocation: 0.02,
};

describe('the yearly bill (bench/bill.ts)', () => {
  it('prices each service from its own counts', () => {
    const bill = billOf({ transitions: 1000, invocations: 100, gbSeconds: 10, wru: 500, rru: 2000, mails: 300, pipeRequests: 1000, scheduled: 50 }, ROUND);
    expect(bill.stepFunctions).toBeCloseTo(1, 10);
    expect(bill.lambda).toBeCloseTo(100 * 0.01 + 10 * 0.1, 10);
    expect(bill.dynamodb).toBeCloseTo(1 + 1, 10);
    expect(bill.ses).toBeCloseTo(3, 10);
    expect(bill.pipes).toBeCloseTo(3, 10);
    expect(bill.scheduler).toBeCloseTo(1, 10);
    expect(bill.total).toBeCloseTo(1 + 2 + 2 + 3 + 3 + 1, 10);
  });

  it('uses the prices read from the pages: $0.025 per 1,000 transitions, DynamoDB halved since November 2024', () => {
    const bill = billOf({ ...NONE, transitions: 1_000_000, wru: 1_000_000, rru: 1_000_000, mails: 1000 });
    expect(bill.stepFunctions).toBeCloseTo(25, 10);
    expect(bill.dynamodb).toBeCloseTo(0.625 + 0.125, 10);
    expect(bill.ses).toBeCloseTo(0.1, 10);
    expect(PRICES.dynamoPerWru).toBeLessThan(1.25 / 1_000_000);
  });

  it('takes a free allowance off before pricing, never below zero', () => {
    const counts = { ...NONE, transitions: 50_000, invocations: 1000 };
    const bill = billOf(counts, ROUND, PERMANENT_FREE_A_YEAR);
    // 48,000 transitions a year are free: 2,000 are billed; a thousand invocations are all free.
    expect(bill.stepFunctions).toBeCloseTo(2, 10);
    expect(bill.lambda).toBe(0);
    expect(billOf(counts, ROUND).total).toBeCloseTo(50 + 10, 10);
  });

  it('mixes the two paths of a lifecycle by the share acted, times the volume', () => {
    const none = { ...NONE, transitions: 10, mails: 4 };
    const act = { ...NONE, transitions: 2, mails: 1 };
    const year = lifecyclesAYear([
      { perYear: 1000, acted: 0.75, none, act },
      { perYear: 10, acted: 0, none, act },
    ]);
    expect(year.transitions).toBeCloseTo(1000 * (0.25 * 10 + 0.75 * 2) + 10 * 10, 10);
    expect(year.mails).toBeCloseTo(1000 * (0.25 * 4 + 0.75 * 1) + 10 * 4, 10);
  });

  it('counts one morning mail per person per day however many notices fall on it', () => {
    // Few notices among many people: almost every one is a mail of its own.
    expect(morningMails(100, 10_000, 250)).toBeCloseTo(100, 0);
    // Many notices among few people: at most one mail per person per working day.
    expect(morningMails(1_000_000, 10, 250)).toBeCloseTo(2500, 6);
    // In between: P × D × (1 − e^(−λ)).
    expect(morningMails(2500, 10, 250)).toBeCloseTo(2500 * (1 - Math.exp(-1)), 6);
    expect(morningMails(0, 10, 250)).toBe(0);
  });

  it('adds the morning mails, the morning job per mail and per notice, and the schedules to the lifecycles', () => {
    const model: BillModel = {
      lifecycles: [{ perYear: 100, acted: 0, none: { ...NONE, transitions: 10, wru: 5, mails: 1 }, act: NONE }],
      morning: {
        // 1,000,000 person-mornings among 10 people over 250 days: 2,500 mails.
        demand: [{ role: 'inspector', recipients: 10, demand: 1_000_000 }],
        workingDays: 250,
        notices: 400,
        perMail: { wru: 2, invocations: 1 },
        perNotice: { wru: 1, rru: 3 },
      },
      schedules: { ...NONE, invocations: 365, scheduled: 365, rru: 1000 },
    };
    const mails = morningMails(1_000_000, 10, 250);
    const year = yearlyCounts(model);
    expect(year.transitions).toBe(1000);
    expect(year.mails).toBeCloseTo(100 + mails, 6);
    expect(year.wru).toBeCloseTo(500 + 2 * mails + 400, 6);
    expect(year.rru).toBeCloseTo(3 * 400 + 1000, 6);
    expect(year.invocations).toBeCloseTo(mails + 365, 6);
    const bill = yearlyBill(model, ROUND);
    expect(bill.ses).toBeCloseTo((100 + mails) * 0.01, 6);
    expect(bill.scheduler).toBeCloseTo(365 * 0.02, 10);
    expect(bill.total).toBeCloseTo(billOf(plus(NONE, year), ROUND).total, 10);
  });

  it('splits the morning job\'s use into a part per mail and a part per notice', () => {
    // Made from 3 units a mail and 0.5 a notice.
    const runs = [
      { mails: 1, notices: 0 },
      { mails: 2, notices: 4 },
      { mails: 1, notices: 6 },
      { mails: 3, notices: 2 },
    ].map((run) => ({ ...run, use: 3 * run.mails + 0.5 * run.notices }));
    const fit = perMailAndNotice(runs);
    expect(fit.perMail).toBeCloseTo(3, 10);
    expect(fit.perNotice).toBeCloseTo(0.5, 10);
    // A part that would come out negative is zero, the other fitted alone.
    const negative = perMailAndNotice([
      { mails: 1, notices: 1, use: 0 },
      { mails: 1, notices: 3, use: 4 },
    ]);
    expect(negative.perMail).toBe(0);
    expect(negative.perNotice).toBeCloseTo((1 * 0 + 3 * 4) / (1 + 9), 10);
    expect(perMailAndNotice([])).toEqual({ perMail: 0, perNotice: 0 });
  });
});
