import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UsageError } from '../core/errors.js';
import { ACTION_INPUTS, actionArguments, actionInputsFromEnv, runAction } from './action-args.js';
import type { CliIo } from './io.js';
import { githubOutputsOf } from '../output/github-outputs.js';
import { DRY_RUN_REPORT } from '../../test/support/report-cases.js';

function capture(env: Record<string, string>): CliIo & { out: string; err: string } {
  const io = {
    env,
    cwd: process.cwd(),
    stderrIsTty: false,
    stdoutIsTty: false,
    watchStop: () => ({ stopped: () => false, dispose: () => undefined }),
    out: '',
    err: '',
    writeOut: (text: string) => {
      io.out += text;
    },
    writeErr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

describe('actionArguments', () => {
  it('maps every input to its pipeline flag', () => {
    expect(
      actionArguments({
        config: 'deploy/secretsync.yaml',
        targets: 'Staging,Production',
        'dry-run': 'true',
        'merge-only': 'true',
        'sync-only': 'true',
        discover: 'true',
        'output-format': 'github',
        'compute-diff': 'true',
        'exit-code': 'true',
        'log-level': 'debug',
        'log-format': 'json',
      }),
    ).toEqual([
      'pipeline',
      '--config=deploy/secretsync.yaml',
      '--targets=Staging,Production',
      '--dry-run',
      '--merge-only',
      '--sync-only',
      '--discover',
      '--output=github',
      '--diff',
      '--exit-code',
      '--log-level=debug',
      '--log-format=json',
    ]);
  });

  it('leaves out false switches and empty or blank inputs', () => {
    expect(
      actionArguments({
        config: '',
        targets: '   ',
        'dry-run': 'false',
        'merge-only': 'False',
        'sync-only': 'FALSE',
        discover: 'false',
        'output-format': '',
        'compute-diff': 'false',
        'exit-code': '',
        'log-level': '',
        'log-format': '',
      }),
    ).toEqual(['pipeline']);
    expect(actionArguments({})).toEqual(['pipeline']);
  });

  it('accepts the YAML 1.2 spellings of true, as @actions/core does', () => {
    for (const yes of ['true', 'True', 'TRUE', ' true ']) {
      expect(actionArguments({ 'compute-diff': yes })).toEqual(['pipeline', '--diff']);
    }
  });

  it('rejects anything else as a boolean, naming the input', () => {
    expect(() => actionArguments({ 'dry-run': 'yes' })).toThrow(UsageError);
    expect(() => actionArguments({ 'dry-run': 'yes' })).toThrow(
      'input "dry-run" must be true or false, got "yes"',
    );
  });

  it('keeps a value that looks like a flag attached to its own flag', () => {
    expect(actionArguments({ targets: '--sync-only' })).toEqual([
      'pipeline',
      '--targets=--sync-only',
    ]);
  });

  it('ignores inputs the action does not define', () => {
    expect(actionArguments({ 'delete-everything': 'true' })).toEqual(['pipeline']);
  });
});

describe('actionInputsFromEnv', () => {
  it('reads INPUT_<NAME> with hyphens kept, as GitHub sets them for Docker actions', () => {
    const inputs = actionInputsFromEnv({
      INPUT_CONFIG: 'c.yaml',
      'INPUT_DRY-RUN': 'true',
      'INPUT_OUTPUT-FORMAT': 'json',
      INPUT_DRY_RUN: 'ignored: GitHub keeps the hyphen',
    });
    expect(inputs.config).toBe('c.yaml');
    expect(inputs['dry-run']).toBe('true');
    expect(inputs['output-format']).toBe('json');
    expect(inputs.targets).toBe('');
    expect(Object.keys(inputs)).toEqual([...ACTION_INPUTS]);
  });
});

describe('action.yml', () => {
  it('declares exactly the inputs the entry point reads', () => {
    const action = parse(readFileSync('action.yml', 'utf8')) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, unknown>;
    };
    expect(Object.keys(action.inputs).sort()).toEqual([...ACTION_INPUTS].sort());
    // Exactly the outputs every run writes: kebab-case, plus the zero_sum alias.
    expect(Object.keys(action.outputs).sort()).toEqual(
      Object.keys(githubOutputsOf(DRY_RUN_REPORT)).sort(),
    );
    expect(Object.keys(action.outputs)).toContain('zero_sum');
  });
});

describe('runAction', () => {
  it('runs the CLI with the mapped flags (a missing config fails with exit 2 in exit-code mode)', async () => {
    const io = capture({
      INPUT_CONFIG: 'does-not-exist.yaml',
      'INPUT_EXIT-CODE': 'true',
      'INPUT_OUTPUT-FORMAT': 'github',
    });
    expect(await runAction(io)).toBe(2);
    expect(io.err).toContain(
      'secretsync pipeline --config=does-not-exist.yaml --output=github --exit-code',
    );
    expect(io.err).toContain('does-not-exist.yaml: (root): file not found');
  });

  it('turns a bad input into a workflow error annotation and exit 1', async () => {
    const io = capture({ 'INPUT_DRY-RUN': 'maybe' });
    expect(await runAction(io)).toBe(1);
    expect(io.err).toBe(
      '::error title=SecretSync::input "dry-run" must be true or false, got "maybe"\n',
    );
  });
});
