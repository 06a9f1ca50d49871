import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapLimit } from './concurrency.js';

// The bounded fan-out every adapter uses: order kept, bound honoured, first failure wins.

/** Resolves after `turns` trips through the microtask queue (no timers, no real sleeps). */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

describe('mapLimit (properties)', () => {
  it('keeps input order and never has more than `limit` calls in flight', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 5 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        async (delays, limit) => {
          let inFlight = 0;
          let peak = 0;
          const results = await mapLimit(delays, limit, async (turns, index) => {
            inFlight += 1;
            peak = Math.max(peak, inFlight);
            await yieldTurns(turns);
            inFlight -= 1;
            return index;
          });
          expect(results).toEqual(delays.map((_, index) => index));
          expect(peak).toBeLessThanOrEqual(limit);
          expect(peak).toBe(Math.min(limit, delays.length));
        },
      ),
    );
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.nat(),
        fc.integer({ min: 1, max: 4 }),
        async (length, failAt, limit) => {
          const failing = failAt % length;
          const started: number[] = [];
          const run = mapLimit(
            Array.from({ length }, (_, i) => i),
            limit,
            async (item) => {
              started.push(item);
              await yieldTurns(1);
              if (item === failing) throw new Error(`item ${item} failed`);
              return item;
            },
          );
          await expect(run).rejects.toThrow(`item ${failing} failed`);
          expect(Math.max(...started)).toBeLessThan(failing + limit);
        },
      ),
    );
  });
});
