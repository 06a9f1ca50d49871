import { describe, expect, it } from 'vitest';
import type { Target } from '../config/types.js';
import { PlanError } from '../core/errors.js';
import { assertDistinctDestinations } from './distinct-destinations.js';

function target(name: string, accountId: string, overrides: Partial<Target> = {}): Target {
  return {
    name,
    accountId,
    imports: ['common'],
    region: 'us-east-1',
    secretPrefix: '',
    roleArn: undefined,
    tags: {},
    kmsKeyId: undefined,
    description: undefined,
    deleteOrphans: false,
    allowSharedPrefix: false,
    maxDeletes: undefined,
    maxChanges: undefined,
    ...overrides,
  };
}

const setOf = (...targets: Target[]) => new Map(targets.map((t) => [t.name, t]));

describe('assertDistinctDestinations', () => {
  it("refuses a discovered target landing on a static target's account and prefix", () => {
    const run = () => {
      assertDistinctDestinations(
        setOf(target('Prod', '111111111111'), target('Sandboxes_dev', '111111111111')),
      );
    };
    expect(run).toThrow(PlanError);
    expect(run).toThrow(
      /1 pair\(s\) of targets would write the same secrets; nothing was written:\n {2}targets "Prod" and "Sandboxes_dev" both write to account 111111111111 in us-east-1/,
    );
  });

  it('accepts distinct accounts, and pairs that opted in', () => {
    expect(() => {
      assertDistinctDestinations(setOf(target('A', '111111111111'), target('B', '222222222222')));
    }).not.toThrow();
    expect(() => {
      assertDistinctDestinations(
        setOf(
          target('A', '111111111111'),
          target('B', '111111111111', { allowSharedPrefix: true }),
        ),
      );
    }).not.toThrow();
  });
});
