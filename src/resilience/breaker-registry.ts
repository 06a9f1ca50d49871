import { CircuitBreaker } from './circuit-breaker.js';
import type { BreakerSettings, BreakerTransition } from './circuit-breaker.js';

/** One breaker per dependency name (`vault:<address>`, `aws:<service>:<account>:<region>`), shared by all. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly settings: BreakerSettings & { readonly enabled: boolean },
    private readonly now: () => number,
    private readonly onTransition: (transition: BreakerTransition) => void,
    private readonly onCreate: (dependency: string) => void = () => undefined,
  ) {}

  /** The breaker for a dependency, or undefined when breakers are disabled in config. */
  forDependency(dependency: string): CircuitBreaker | undefined {
    if (!this.settings.enabled) return undefined;
    let breaker = this.breakers.get(dependency);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(dependency, this.settings, this.now, this.onTransition);
      this.breakers.set(dependency, breaker);
      this.onCreate(dependency);
    }
    return breaker;
  }
}
