import { readFile, stat } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { ConfigIssue } from '../core/errors.js';
import { collectWarnings } from './compat.js';
import type { Environment } from './env-substitution.js';
import { normalizeConfig } from './normalize.js';
import type { ConfigRule } from './rule.js';
import { sortedByLine } from './issue-order.js';
import { formatRules } from './rules-format.js';
import { roleRules } from './rules-roles.js';
import { safetyRules } from './rules-safety.js';
import { structureRules } from './rules-structure.js';
import { configFileSchema } from './schema.js';
import type { ConfigFile } from './schema.js';
import { issuePaths, renderPath, toConfigIssues } from './schema-issues.js';
import type { Config, ConfigWarning } from './types.js';
import { parseYamlFile } from './yaml-document.js';
import type { YamlFile } from './yaml-document.js';

/** A config that passed every check, with the warnings to show the user. */
export interface LoadedConfig {
  readonly path: string;
  readonly config: Config;
  readonly warnings: readonly ConfigWarning[];
}

/** Config files larger than this are refused before parsing (they are never legitimate). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Every cross-field rule, in the order their findings are reported. */
export const configRules: readonly ConfigRule[] = [
  ...structureRules,
  ...formatRules,
  ...safetyRules,
  ...roleRules,
];

/** What a missing config file's error tells the user to do, by default. */
const MISSING_FILE_FIX = 'pass --config FILE or set SECRETSYNC_CONFIG';

/**
 * Reads, substitutes, parses, validates and normalizes a config file; throws ConfigError.
 * `missingFix` is what to do when the file does not exist (it depends on how it was chosen).
 */
export async function loadConfig(
  path: string,
  env: Environment,
  missingFix: string = MISSING_FILE_FIX,
): Promise<LoadedConfig> {
  const text = await readConfigText(path, missingFix);
  return parseConfig(text, path, env);
}

/** The pure part of loading: text in, normalized config or ConfigError with every issue out. */
export function parseConfig(text: string, path: string, env: Environment): LoadedConfig {
  const { file, issues } = parseYamlFile(text, env);
  if (issues.length > 0 || file.data === undefined)
    throw new ConfigError(path, sortedByLine(issues));
  const data = file.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(path, [
      { path: '', line: 1, message: 'the file must be a YAML mapping of settings', rule: 'schema' },
    ]);
  }
  const parsed = configFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const schemaIssues = toConfigIssues(parsed.error, configFileSchema, file);
    // Report rule problems too when the rest of the file is well-formed without the bad parts,
    // so one run shows everything to fix.
    const rest = configFileSchema.safeParse(withoutIssuePaths(data, parsed.error), {
      reportInput: true,
    });
    const more = rest.success ? runRules(rest.data, env, file) : [];
    throw new ConfigError(path, sortedByLine([...schemaIssues, ...more]));
  }
  const ruleIssues = runRules(parsed.data, env, file);
  if (ruleIssues.length > 0) throw new ConfigError(path, sortedByLine(ruleIssues));
  const warnings = collectWarnings(parsed.data).map((finding) => ({
    path: renderPath(finding.path),
    line: file.lineOf(finding.path),
    message: finding.message,
  }));
  return { path, config: normalizeConfig(parsed.data, env), warnings };
}

function runRules(data: ConfigFile, env: Environment, file: YamlFile): ConfigIssue[] {
  return configRules.flatMap((rule) =>
    rule.check(data, env).map((finding) => ({
      path: renderPath(finding.path),
      line: file.lineOf(finding.path),
      message: finding.message,
      rule: rule.name,
    })),
  );
}

function withoutIssuePaths(data: object, error: z.ZodError): unknown {
  const copy = structuredClone(data) as Record<PropertyKey, unknown>;
  // The innermost paths (inside union branches too), so a bad field does not drop its target.
  for (const path of issuePaths(error)) deleteAt(copy, path);
  return copy;
}

function deleteAt(root: Record<PropertyKey, unknown>, path: readonly PropertyKey[]): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  const last = path.at(-1);
  if (typeof node === 'object' && node !== null && last !== undefined) {
    // Removing an array item in place would shift later indexes; blank it out instead.
    if (Array.isArray(node)) node.splice(Number(last), 1, undefined);
    else Reflect.deleteProperty(node, last);
  }
}

async function readConfigText(path: string, missingFix: string): Promise<string> {
  const unreadable = (message: string): ConfigError =>
    new ConfigError(path, [{ path: '', message, rule: 'file' }]);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw unreadable('is not a file');
    if (info.size > MAX_CONFIG_BYTES) {
      throw unreadable(
        `is ${info.size} bytes; config files are limited to ${MAX_CONFIG_BYTES} bytes`,
      );
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw unreadable(`file not found: ${missingFix}`);
    }
    throw unreadable(`cannot be read: ${(error as Error).message}`);
  }
}
