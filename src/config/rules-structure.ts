import { findCycles } from '../core/graph.js';
import { suggestClosest } from '../core/suggest.js';
import type { ConfigRule, RuleFinding } from './rule.js';
import { entriesOf, importsOf } from './rule.js';
import type { ConfigFile } from './schema.js';

/** Exactly one merge store is configured. */
const oneMergeStore: ConfigRule = {
  name: 'one-merge-store',
  check: (file) => {
    const store = file.merge_store;
    const count = Number(store?.vault !== undefined) + Number(store?.s3 !== undefined);
    if (count === 1) return [];
    const message =
      count === 0
        ? 'is required: configure exactly one of merge_store.vault {mount} or merge_store.s3 {bucket}'
        : 'configures both vault and s3: keep exactly one';
    return [{ path: ['merge_store'], message }];
  },
};

/** Each source reads from exactly one place. */
const oneSourceKind: ConfigRule = {
  name: 'one-source-kind',
  check: (file) =>
    entriesOf(file.sources).flatMap(([name, source]) => {
      const count = Number(source.vault !== undefined) + Number(source.aws !== undefined);
      return count === 1
        ? []
        : [
            {
              path: ['sources', name],
              message: 'must configure exactly one of vault {mount} or aws {account_id}',
            },
          ];
    }),
};

/** At most one Vault auth method is configured. */
const oneAuthMethod: ConfigRule = {
  name: 'one-auth-method',
  check: (file) => {
    const auth = file.vault?.auth ?? {};
    const set = Object.entries(auth).filter(([, value]) => value !== undefined);
    return set.length <= 1
      ? []
      : [
          {
            path: ['vault', 'auth'],
            message: `configures ${set.map(([k]) => k).join(' and ')}: choose one method`,
          },
        ];
  },
};

/** `vault.auth.jwt` names exactly one place the JWT comes from. */
const oneJwtSource: ConfigRule = {
  name: 'one-jwt-source',
  check: (file) => {
    const jwt = file.vault?.auth?.jwt;
    if (jwt === undefined) return [];
    const set = [
      jwt.token_file === undefined ? [] : ['token_file'],
      jwt.token_env === undefined ? [] : ['token_env'],
      jwt.github_actions === true ? ['github_actions'] : [],
    ].flat();
    if (set.length === 1) return [];
    return [
      {
        path: ['vault', 'auth', 'jwt'],
        message:
          set.length === 0
            ? 'says nowhere to get the JWT: set token_file (a projected service-account token), token_env, or github_actions: true'
            : `sets ${set.join(' and ')}: choose one place to get the JWT`,
      },
    ];
  },
};

/** There is something to sync. */
const someTarget: ConfigRule = {
  name: 'at-least-one-target',
  check: (file) =>
    Object.keys(file.targets ?? {}).length + Object.keys(file.dynamic_targets ?? {}).length > 0
      ? []
      : [
          {
            path: ['targets'],
            message: 'no targets: define at least one target or dynamic target',
          },
        ],
};

/** Every import names a source or a static target; names are unambiguous. */
const importsResolve: ConfigRule = {
  name: 'imports-resolve',
  check: (file) => {
    const sources = Object.keys(file.sources ?? {});
    const targets = Object.keys(file.targets ?? {});
    const dynamic = new Set(Object.keys(file.dynamic_targets ?? {}));
    const known = [...sources, ...targets];
    const findings: RuleFinding[] = sources
      .filter((name) => targets.includes(name))
      .map((name) => ({
        path: ['targets', name],
        message: `"${name}" is both a source and a target: rename one so imports are unambiguous`,
      }));
    const checkList = (imports: readonly string[], path: PropertyKey[]) => {
      if (imports.length === 0)
        findings.push({ path, message: 'must list at least one source or target to import' });
      imports.forEach((name, index) => {
        if (known.includes(name)) return;
        const hint = suggestClosest(name, known);
        const why = dynamic.has(name)
          ? `"${name}" is a dynamic target, which cannot be imported`
          : `"${name}" is not a source or target${hint === undefined ? '' : `; did you mean "${hint}"?`}`;
        findings.push({
          path: [...path, index],
          message: `${why} (known: ${[...known].sort().join(', ') || 'none'})`,
        });
      });
    };
    for (const [name, entry] of entriesOf(file.targets)) {
      checkList(
        importsOf(entry),
        Array.isArray(entry) ? ['targets', name] : ['targets', name, 'imports'],
      );
    }
    for (const [name, entry] of entriesOf(file.dynamic_targets)) {
      checkList(entry.imports, ['dynamic_targets', name, 'imports']);
      (entry.account_name_patterns ?? []).forEach((mapping, index) => {
        if (targets.includes(mapping.target)) return;
        const hint = suggestClosest(mapping.target, targets);
        findings.push({
          path: ['dynamic_targets', name, 'account_name_patterns', index, 'target'],
          message: `"${mapping.target}" is not a static target${hint === undefined ? '' : `; did you mean "${hint}"?`}`,
        });
      });
    }
    return findings;
  },
};

/** Target inheritance has no cycles (a target importing itself is the shortest one). */
const noCycles: ConfigRule = {
  name: 'no-import-cycles',
  check: (file) => {
    const graph = new Map(
      entriesOf(file.targets).map(([name, entry]) => [name, importsOf(entry)] as const),
    );
    return findCycles(graph).map((cycle) => ({
      path: ['targets', cycle[0] ?? ''],
      message: `import cycle: ${cycle.join(' -> ')}; a target cannot inherit from itself`,
    }));
  },
};

/** Dynamic targets say how to find accounts, in forms that can be carried out. */
const discoveryMethods: ConfigRule = {
  name: 'discovery-method',
  check: (file) =>
    entriesOf(file.dynamic_targets).flatMap(([name, entry]): RuleFinding[] => {
      const base = ['dynamic_targets', name, 'discovery'];
      const { organizations, identity_center: center, accounts_list: list } = entry.discovery;
      const findings: RuleFinding[] = [];
      if (organizations === undefined && center === undefined && list === undefined) {
        findings.push({
          path: base,
          message: 'must configure organizations, identity_center or accounts_list',
        });
      }
      if (organizations?.ou !== undefined && organizations.ous !== undefined) {
        findings.push({
          path: [...base, 'organizations'],
          message: 'set either ou or ous, not both',
        });
      }
      if (
        center !== undefined &&
        (center.group === undefined) === (center.permission_set === undefined)
      ) {
        findings.push({
          path: [...base, 'identity_center'],
          message: 'set exactly one of group or permission_set',
        });
      }
      if (list !== undefined && !/^ssm:\/?[A-Za-z0-9_.\-/]+$/.test(list.source)) {
        findings.push({
          path: [...base, 'accounts_list', 'source'],
          message: `"${list.source}" is not supported: use ssm:<parameter name>`,
        });
      }
      if (organizations?.name_matching !== undefined && entry.name_matching !== undefined) {
        findings.push({
          path: [...base, 'organizations', 'name_matching'],
          message: `also set at dynamic_targets.${name}.name_matching: keep one`,
        });
      }
      return findings;
    }),
};

/** Account-name patterns are valid regular expressions. */
const patternsCompile: ConfigRule = {
  name: 'patterns-compile',
  check: (file: ConfigFile) =>
    entriesOf(file.dynamic_targets).flatMap(([name, entry]) =>
      (entry.account_name_patterns ?? []).flatMap((mapping, index) => {
        try {
          new RegExp(mapping.pattern, 'u');
          return [];
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return [
            {
              path: ['dynamic_targets', name, 'account_name_patterns', index, 'pattern'],
              message: `is not a valid regular expression: ${reason}`,
            },
          ];
        }
      }),
    ),
};

/** Rules about how the parts of the config fit together. */
export const structureRules: readonly ConfigRule[] = [
  oneMergeStore,
  oneSourceKind,
  oneAuthMethod,
  oneJwtSource,
  someTarget,
  importsResolve,
  noCycles,
  discoveryMethods,
  patternsCompile,
];
