import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { applyBooleanEnv, booleanFlag, readBooleanEnv } from './env-option.js';
import { exitCodeModeOf } from './exit-code-mode.js';

describe('readBooleanEnv', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    [' Yes ', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
    ['', undefined],
    ['on', 'invalid'],
    ['2', 'invalid'],
    ['garbage', 'invalid'],
  ] as const)('reads %j as %j', (raw, expected) => {
    expect(readBooleanEnv({ SWITCH: raw }, 'SWITCH')).toBe(expected);
  });

  it('reads an absent variable as unset', () => {
    expect(readBooleanEnv({}, 'SWITCH')).toBeUndefined();
  });
});

/** A command with one env-backed switch, parsed from `argv` with `env`. */
async function parsed(argv: string[], env: Record<string, string>): Promise<unknown> {
  let seen: unknown = 'action not run';
  const command = new Command('x')
    .exitOverride()
    .addOption(booleanFlag('--dry-run', 'plan only', 'X_DRY_RUN'))
    .hook('preAction', (self) => {
      applyBooleanEnv(self, env);
    })
    .action((flags: { dryRun?: boolean }) => {
      seen = flags.dryRun;
    });
  await command.parseAsync(argv, { from: 'user' });
  return seen;
}

describe('booleanFlag', () => {
  it('turns on with a true word and stays off with a false word', async () => {
    expect(await parsed([], { X_DRY_RUN: 'yes' })).toBe(true);
    expect(await parsed([], { X_DRY_RUN: 'false' })).toBe(false);
    expect(await parsed([], {})).toBeUndefined();
  });

  it('lets the flag win over the variable', async () => {
    expect(await parsed(['--dry-run'], { X_DRY_RUN: 'no' })).toBe(true);
  });

  it('refuses any other value, naming the variable', async () => {
    const failure = parsed([], { X_DRY_RUN: 'maybe' });
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(/X_DRY_RUN must be one of true, false.*"maybe"/);
  });

  it('shows the variable in the help', () => {
    expect(booleanFlag('--dry-run', 'plan only', 'X_DRY_RUN').description).toContain(
      'env: X_DRY_RUN=true|false',
    );
  });
});

describe('exitCodeModeOf', () => {
  it.each([
    [['pipeline', '--exit-code'], {}, true],
    [['pipeline', '--', '--exit-code'], {}, false],
    [['pipeline'], { SECRETSYNC_EXIT_CODE: 'true' }, true],
    [['pipeline'], { SECRETSYNC_EXIT_CODE: '0' }, false],
    [['pipeline'], { SECRETSYNC_EXIT_CODE: 'garbage' }, true],
    [['pipeline'], {}, false],
  ] as const)('%j with %j is %j', (argv, env, expected) => {
    expect(exitCodeModeOf(argv, env)).toBe(expected);
  });
});
