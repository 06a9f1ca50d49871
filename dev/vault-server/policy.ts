import { z } from 'zod';

/** Capabilities a Vault policy rule can grant (`deny` overrides all others on that rule). */
export const CAPABILITIES = [
  'create',
  'read',
  'update',
  'patch',
  'delete',
  'list',
  'sudo',
  'deny',
] as const;

/** One capability name. */
export type Capability = (typeof CAPABILITIES)[number];

/** One rule of a named policy: a path (exact, `+` segment wildcards, trailing `*` glob). */
export interface PolicyRule {
  readonly path: string;
  readonly capabilities: readonly Capability[];
}

/** Schema of a rule list as the control surface accepts it. */
export const policyRulesSchema = z.array(
  z.object({
    path: z.string().min(1),
    capabilities: z.array(z.enum(CAPABILITIES)),
  }),
);

interface CompiledRule {
  readonly pattern: string;
  readonly regex: RegExp;
  readonly capabilities: Set<Capability>;
}

/** Named policies and the capability check Vault's ACL performs with them. */
export class PolicyStore {
  private readonly policies = new Map<string, readonly PolicyRule[]>();

  /** Creates or replaces a named policy. */
  set(name: string, rules: readonly PolicyRule[]): void {
    this.policies.set(name, rules);
  }

  /** Removes every policy. */
  clear(): void {
    this.policies.clear();
  }

  /** Names of the defined policies, sorted. */
  names(): string[] {
    return [...this.policies.keys()].sort();
  }

  /** Whether the token's policies grant `capability` on `path` (relative to its namespace). */
  allows(policyNames: readonly string[], path: string, capability: Capability): boolean {
    if (policyNames.includes('root')) return true;
    return this.capabilities(policyNames, path).has(capability);
  }

  /** Capabilities on `path` from the single most specific matching rule, as Vault decides. */
  capabilities(policyNames: readonly string[], path: string): ReadonlySet<Capability> {
    let best: CompiledRule | undefined;
    for (const rule of this.compile(policyNames)) {
      if (!rule.regex.test(path)) continue;
      if (best === undefined || comparePriority(rule.pattern, best.pattern) > 0) best = rule;
    }
    if (best === undefined || best.capabilities.has('deny')) return new Set();
    return best.capabilities;
  }

  /**
   * Whether any rule grants something at or below `prefix` (e.g. `secret/`): the check behind
   * `sys/internal/ui/mounts`, which lets a token discover a mount it can use any part of.
   */
  grantsAnyUnder(policyNames: readonly string[], prefix: string): boolean {
    if (policyNames.includes('root')) return true;
    return this.compile(policyNames).some((rule) => {
      if (rule.capabilities.has('deny') || rule.capabilities.size === 0) return false;
      return rule.regex.test(prefix) || reachesBelow(rule.pattern, prefix);
    });
  }

  /** Rules of the given policies; identical patterns merge their capabilities, as in Vault. */
  private compile(policyNames: readonly string[]): CompiledRule[] {
    const merged = new Map<string, CompiledRule>();
    for (const name of policyNames) {
      for (const rule of this.policies.get(name) ?? []) {
        const existing = merged.get(rule.path);
        if (existing === undefined) {
          merged.set(rule.path, {
            pattern: rule.path,
            regex: patternRegex(rule.path),
            capabilities: new Set(rule.capabilities),
          });
        } else {
          for (const capability of rule.capabilities) existing.capabilities.add(capability);
        }
      }
    }
    return [...merged.values()];
  }
}

/** `secret/+/app/*` → /^secret\/[^/]+\/app\/.*$/ (a leading `/` in the policy is ignored). */
function patternRegex(pattern: string): RegExp {
  const trimmed = pattern.replace(/^\/+/, '');
  const glob = trimmed.endsWith('*');
  const body = glob ? trimmed.slice(0, -1) : trimmed;
  const source = body
    .split('/')
    .map((segment) => (segment === '+' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}${glob ? '.*' : ''}$`);
}

/** Whether a pattern names some path below `prefix` (segment by segment, `+` matching any). */
function reachesBelow(pattern: string, prefix: string): boolean {
  const ruleSegments = pattern.replace(/^\/+/, '').replace(/\*$/, '').split('/');
  const prefixSegments = prefix.replace(/\/$/, '').split('/');
  if (ruleSegments.length < prefixSegments.length) return false;
  return prefixSegments.every(
    (segment, index) => ruleSegments[index] === '+' || ruleSegments[index] === segment,
  );
}

/**
 * Vault's priority matching (docs, "Policies › Priority matching"): > 0 when `a` wins over `b`.
 * Later first wildcard wins; no trailing glob wins; fewer `+` wins; longer wins; then larger.
 */
export function comparePriority(a: string, b: string): number {
  const firstA = firstWildcard(a);
  const firstB = firstWildcard(b);
  if (firstA !== firstB) return firstA - firstB;
  const globA = a.endsWith('*');
  const globB = b.endsWith('*');
  if (globA !== globB) return globA ? -1 : 1;
  const plusA = countPlus(a);
  const plusB = countPlus(b);
  if (plusA !== plusB) return plusB - plusA;
  if (a.length !== b.length) return a.length - b.length;
  if (a === b) return 0;
  return a > b ? 1 : -1;
}

function firstWildcard(pattern: string): number {
  const positions = [pattern.indexOf('*'), pattern.indexOf('+')].filter((index) => index >= 0);
  return positions.length === 0 ? Number.MAX_SAFE_INTEGER : Math.min(...positions);
}

function countPlus(pattern: string): number {
  return pattern.split('/').filter((segment) => segment === '+').length;
}
