import { randomUUID } from 'node:crypto';
import { TokenStore } from './auth.js';
import { Clock } from './clock.js';
import { FaultTable, Sleeper } from './faults.js';
import { NamespaceTree } from './namespaces.js';
import { PolicyStore } from './policy.js';
import { RequestStats } from './request-stats.js';

/** Availability as `sys/health` reports it; set through `POST /_dev/state`. */
export const SERVER_MODES = [
  'active',
  'standby',
  'performance_standby',
  'sealed',
  'uninitialized',
] as const;

/** One availability mode. */
export type ServerMode = (typeof SERVER_MODES)[number];

/** A mount to create at start and after every reset. */
export interface InitialMount {
  readonly path: string;
  readonly version: 1 | 2;
}

/** The whole in-memory server: data, auth, faults, counters, clock and availability. */
export class ServerState {
  readonly clock = new Clock();
  readonly namespaces = new NamespaceTree();
  readonly policies = new PolicyStore();
  readonly tokens = new TokenStore(this.clock);
  readonly faults = new FaultTable();
  readonly stats = new RequestStats();
  readonly sleeper = new Sleeper();
  /** Stable for the server's life, as a cluster's id is. */
  readonly clusterId = randomUUID();
  mode: ServerMode = 'active';

  constructor(
    readonly rootToken: string,
    private readonly initialMounts: readonly InitialMount[],
  ) {
    this.reset();
  }

  /** Back to the start: initial mounts only, the root token only, no faults, active. */
  reset(): void {
    this.namespaces.clear();
    this.policies.clear();
    this.tokens.clear();
    this.faults.clear();
    this.stats.reset();
    this.clock.reset();
    this.mode = 'active';
    this.tokens.createRoot(this.rootToken);
    for (const mount of this.initialMounts) {
      this.namespaces.root.mount(mount.path, mount.version, this.clock);
    }
  }
}
