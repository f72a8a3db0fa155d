import { afterEach, describe, expect, test, vi } from 'vitest';
import { RealClock, VirtualClock } from '../../local/index.ts';

const start = Date.parse('2026-03-02T04:00:00Z');
const days = (n: number): number => n * 24 * 60 * 60 * 1000;

describe('the virtual clock', () => {
  test('a jump fires every wake-up due by then in time order, at its own instant, and none after', async () => {
    const clock = new VirtualClock(start);
    const fired: string[] = [];
    const at = (label: string) => async () => {
      fired.push(`${label}@${(clock.now() - start) / days(1)}`);
    };
    clock.schedule(start + days(3), at('c'));
    clock.schedule(start + days(1), at('a'));
    clock.schedule(start + days(2), at('b'));
    clock.schedule(start + days(9), at('later'));
    await clock.advanceTo(start + days(5));
    expect(fired).toEqual(['a@1', 'b@2', 'c@3']);
    expect(clock.now()).toBe(start + days(5));
    expect(clock.pending).toBe(1);
  });

  test('a wake-up scheduled by a wake-up fires in the same jump when it is due by then', async () => {
    const clock = new VirtualClock(start);
    const fired: number[] = [];
    const remind = async (): Promise<void> => {
      fired.push(clock.now());
      if (fired.length < 3) clock.schedule(clock.now() + days(7), remind);
    };
    clock.schedule(start + days(7), remind);
    await clock.advanceTo(start + days(30));
    expect(fired).toEqual([start + days(7), start + days(14), start + days(21)]);
  });

  test('settle waits for background work and reports its failure; a cancelled wake-up never fires', async () => {
    const clock = new VirtualClock(start);
    let done = false;
    clock.track(Promise.resolve().then(() => (done = true)));
    await clock.settle();
    expect(done).toBe(true);

    clock.track(Promise.reject(new Error('store unreachable')));
    await expect(clock.settle()).rejects.toThrow('store unreachable');

    let fired = false;
    const cancel = clock.schedule(start + days(1), async () => {
      fired = true;
    });
    cancel();
    await clock.advanceTo(start + days(2));
    expect(fired).toBe(false);
  });

  test('it does not go back in time', async () => {
    const clock = new VirtualClock(start);
    await expect(clock.advanceTo(start - 1)).rejects.toThrow(RangeError);
  });
});

describe('the real clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('a wake-up 30 days ahead, beyond what one timer holds, fires on its day and not before', async () => {
    vi.useFakeTimers({ now: start });
    const clock = new RealClock();
    let firedAt: number | undefined;
    clock.schedule(start + days(30), async () => {
      firedAt = Date.now();
    });
    await vi.advanceTimersByTimeAsync(days(25));
    expect(firedAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(days(5));
    expect(firedAt).toBe(start + days(30));
  });
});
