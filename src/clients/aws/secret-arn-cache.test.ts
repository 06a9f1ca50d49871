import { describe, expect, it } from 'vitest';
import { SecretArnCache } from './secret-arn-cache.js';

/** Yields to the event loop so concurrent tasks interleave for real. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function remote(initial: Record<string, string>) {
  const state = new Map(Object.entries(initial));
  let listings = 0;
  return {
    state,
    listings: () => listings,
    load: async () => {
      listings += 1;
      const copy = new Map(state);
      await tick();
      await tick();
      return copy;
    },
  };
}

// Requirement 6 shapes, as concurrent async tasks. Each runs 20 times to shake out orderings.
const ROUNDS = 20;

describe('SecretArnCache under concurrent use', () => {
  it('20 readers x 100 iterations share one remote listing and always read consistent values', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const account = remote(
        Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`s${i}`, `arn:s${i}`])),
      );
      const cache = new SecretArnCache();
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          for (let i = 0; i < 100; i++) {
            await cache.ensureLoaded(account.load);
            const name = `s${i % 50}`;
            expect(cache.get(name)).toBe(`arn:${name}`);
            await tick();
          }
        }),
      );
      expect(account.listings()).toBe(1);
    }
  });

  it('10 writers x 100 iterations lose no update, even with refreshes in flight', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const account = remote({});
      const cache = new SecretArnCache();
      const refresher = (async () => {
        for (let i = 0; i < 30; i++) {
          await cache.refresh(account.load);
        }
      })();
      await Promise.all(
        Array.from({ length: 10 }, async (_, writer) => {
          for (let i = 0; i < 100; i++) {
            const name = `w${writer}-${i}`;
            account.state.set(name, `arn:${name}`);
            cache.set(name, `arn:${name}`);
            await tick();
            if (i % 10 === 9) {
              account.state.delete(name);
              cache.delete(name);
            }
          }
        }),
      );
      await refresher;
      const expected = new Map(account.state);
      expect(new Map(cache.snapshot())).toEqual(expected);
      expect(cache.size).toBe(900);
    }
  });

  it('mixed readers, writers and refreshers keep the cache equal to the account', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const account = remote({ base: 'arn:base' });
      const cache = new SecretArnCache();
      const readers = Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 100; i++) {
          await cache.ensureLoaded(account.load);
          expect(cache.get('base')).toBe('arn:base');
          await tick();
        }
      });
      const writers = Array.from({ length: 10 }, async (_, writer) => {
        for (let i = 0; i < 100; i++) {
          const name = `m${writer}-${i}`;
          account.state.set(name, `arn:${name}`);
          cache.set(name, `arn:${name}`);
          if (i % 25 === 0) await cache.refresh(account.load);
          await tick();
        }
      });
      await Promise.all([...readers, ...writers]);
      expect(new Map(cache.snapshot())).toEqual(new Map(account.state));
    }
  });

  it('copies taken during modification are consistent and unaffected by later changes', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const cache = new SecretArnCache();
      const copies: ReadonlyMap<string, string>[] = [];
      const writers = Array.from({ length: 10 }, async (_, writer) => {
        for (let i = 0; i < 100; i++) {
          cache.set(`c${writer}-${i}`, `arn:c${writer}-${i}`);
          await tick();
        }
      });
      const copier = (async () => {
        for (let i = 0; i < 100; i++) {
          copies.push(cache.snapshot());
          await tick();
        }
      })();
      await Promise.all([...writers, copier]);
      let previous = -1;
      for (const copy of copies) {
        // Every copy is internally consistent: each entry maps to its own ARN.
        for (const [name, arn] of copy) expect(arn).toBe(`arn:${name}`);
        expect(copy.size).toBeGreaterThanOrEqual(previous);
        previous = copy.size;
      }
      const frozen = copies[0];
      cache.set('after', 'arn:after');
      expect(frozen?.has('after')).toBe(false);
    }
  });

  it('a failed listing does not poison later refreshes', async () => {
    const cache = new SecretArnCache();
    await expect(cache.refresh(() => Promise.reject(new Error('throttled')))).rejects.toThrow(
      'throttled',
    );
    await cache.ensureLoaded(() => Promise.resolve(new Map([['a', 'arn:a']])));
    expect(cache.get('a')).toBe('arn:a');
  });
});
