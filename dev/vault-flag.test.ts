import { describe, expect, it } from 'vitest';
import { parseVaultFlag } from './vault-flag.js';

describe('--vault', () => {
  it('defaults to our server and accepts local or real', () => {
    expect(parseVaultFlag([])).toBe('local');
    expect(parseVaultFlag(['--vault', 'real'])).toBe('real');
    expect(parseVaultFlag(['--vault=local'])).toBe('local');
  });

  it('refuses anything else, and explains openbao', () => {
    expect(() => parseVaultFlag(['--vault', 'dev'])).toThrow('--vault must be "local" or "real"');
    expect(() => parseVaultFlag(['--vault'])).toThrow('--vault must be');
    expect(() => parseVaultFlag(['--vault', 'openbao'])).toThrow(/use --vault real/);
  });
});
