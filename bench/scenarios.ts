import { secretValue, treeSecrets } from './workloads.js';

/** What a scenario can do to the stack between steps. */
export interface BenchContext {
  readonly scale: number;
  seed(mount: string, secrets: Record<string, Record<string, unknown>>): Promise<void>;
  mount(path: string): Promise<void>;
}

/** One CLI run within a scenario, with its target figures. */
export interface BenchStep {
  readonly name: string;
  readonly args: readonly string[];
  readonly before?: (context: BenchContext) => Promise<void>;
  /** Target wall time in ms on the 2-core dev machine (at scale 1). */
  readonly targetMs?: number;
  /** Exact AWS write count the step must make, when defined. */
  readonly expectedWrites?: number;
  /**
   * True for a no-op re-sync: its AWS reads are reported against the budget (one list page per
   * 100 secrets plus one batch read per 20) and the goal (list calls only).
   */
  readonly readBudget?: boolean;
  /** Exact Vault LIST count the step must make (folders + 1 for the root), when defined. */
  readonly expectedLists?: (scale: number) => number;
}

/** Folders a set of secret paths spans (each listed once by the walk), plus the root. */
export function folderCount(paths: readonly string[]): number {
  const folders = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth++) folders.add(parts.slice(0, depth).join('/'));
  }
  return folders.size + 1;
}

/** A workload: a config, seed data and the steps run against it. */
export interface BenchScenario {
  readonly name: string;
  readonly description: string;
  readonly secrets: (scale: number) => number;
  setup(context: BenchContext): Promise<string>;
  readonly steps: readonly BenchStep[];
}

const count = (base: number, scale: number) => Math.max(20, Math.round(base * scale));

/** Seeds the `apps` source (1,000 secrets at scale 1) and returns a config with these targets. */
async function appsSource(context: BenchContext, targets: string): Promise<string> {
  await context.mount('apps');
  await context.seed('apps', treeSecrets(count(1000, context.scale), 3, 10));
  return `vault: {address: '\${VAULT_ADDR}'}
sources: {apps: {vault: {mount: apps}}}
merge_store: {vault: {mount: merged}}
targets:
${targets}`;
}

const w1: BenchScenario = {
  name: 'w1',
  description: '1 source, 1,000 secrets (~1 KB, 3-10 keys, some nested), 1 target',
  secrets: (scale) => count(1000, scale),
  setup: (context) =>
    appsSource(
      context,
      `  Solo: {account_id: '111111111111', imports: [apps], secret_prefix: w1/}\n`,
    ),
  steps: [
    { name: 'first sync', args: [], targetMs: 15_000 },
    { name: 'no-op re-sync', args: [], targetMs: 3_000, expectedWrites: 0, readBudget: true },
    {
      name: 're-sync, 10 changed',
      args: [],
      targetMs: 3_000,
      expectedWrites: 10,
      before: async (context) => {
        const changed = Object.fromEntries(
          Object.entries(treeSecrets(10, 3, 10)).map(([path], i) => [
            path,
            secretValue(i, 'changed-'),
          ]),
        );
        await context.seed('apps', changed);
      },
    },
    { name: 'dry-run', args: ['--dry-run'], expectedWrites: 0 },
  ],
};

const w2: BenchScenario = {
  name: 'w2',
  description:
    '2 sources (5,000 secrets each, half overlapping paths), 5 targets in 5 accounts (chain + diamond)',
  // Base and Left hold alpha (n); Mid, Top and Join hold alpha plus beta's own half (1.5 n).
  secrets: (scale) => Math.round(count(5000, scale) * 6.5),
  setup: async (context) => {
    const n = count(5000, context.scale);
    await context.mount('alpha');
    await context.mount('beta');
    await context.seed('alpha', treeSecrets(n, 4, 8));
    // Half of beta's paths are alpha's (so they merge), half are its own.
    const overlap = Object.entries(treeSecrets(n / 2, 4, 8));
    const own = Object.entries(treeSecrets(n / 2, 4, 8, 'beta-only/'));
    await context.seed(
      'beta',
      Object.fromEntries<Record<string, unknown>>([
        ...overlap.map(([p, v]): [string, Record<string, unknown>] => [
          p,
          { ...v, from_beta: true },
        ]),
        ...own,
      ]),
    );
    return `vault: {address: '\${VAULT_ADDR}'}
sources:
  alpha: {vault: {mount: alpha}}
  beta: {vault: {mount: beta}}
merge_store: {vault: {mount: merged}}
targets:
  Base: {account_id: '111111111111', imports: [alpha]}
  Mid: {account_id: '222222222222', imports: [Base, beta]}
  Top: {account_id: '333333333333', imports: [Mid]}
  Left: {account_id: '444444444444', imports: [Base]}
  Join: {account_id: '555555555555', imports: [Mid, Left]}
`;
  },
  steps: [
    { name: 'first sync', args: [] },
    {
      name: 'no-op re-sync',
      args: [],
      targetMs: 30_000,
      expectedWrites: 0,
      readBudget: true,
    },
  ],
};

const walk: BenchScenario = {
  name: 'walk',
  description: 'a 20,000-secret Vault tree, 8 levels deep: walk and read only',
  secrets: (scale) => count(20_000, scale),
  setup: async (context) => {
    await context.mount('deep');
    await context.seed('deep', treeSecrets(count(20_000, context.scale), 8, 4));
    return `vault: {address: '\${VAULT_ADDR}', max_traversal_depth: 10}
sources: {deep: {vault: {mount: deep}}}
merge_store: {vault: {mount: merged}}
targets:
  Reader: {account_id: '111111111111', imports: [deep]}
`;
  },
  // Merge only, dry-run: every secret is listed and read, nothing is written anywhere.
  steps: [
    {
      name: 'walk + read',
      args: ['--merge-only', '--dry-run'],
      targetMs: 20_000,
      expectedWrites: 0,
      expectedLists: (scale) => folderCount(Object.keys(treeSecrets(count(20_000, scale), 8, 4))),
    },
  ],
};

const t3: BenchScenario = {
  name: 't3',
  description: '1 source, 1,000 secrets, 3 targets in 3 accounts (a chain)',
  secrets: (scale) => count(1000, scale) * 3,
  setup: (context) =>
    appsSource(
      context,
      `  Stg: {account_id: '111111111111', imports: [apps], secret_prefix: stg/}
  Prod: {account_id: '222222222222', imports: [Stg], secret_prefix: prod/}
  Demo: {account_id: '333333333333', imports: [Prod], secret_prefix: demo/}
`,
    ),
  steps: [
    { name: 'first sync', args: [] },
    { name: 'no-op re-sync', args: [], expectedWrites: 0, readBudget: true },
  ],
};

/** Every scenario, in the order `npm run bench` runs them. */
export const SCENARIOS: readonly BenchScenario[] = [w1, t3, w2, walk];
