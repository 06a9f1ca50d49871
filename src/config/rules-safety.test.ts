import { describe, expect, it } from 'vitest';
import { pathsOverlap, safetyRules } from './rules-safety.js';
import type { ConfigFile } from './schema.js';

function check(name: string, file: ConfigFile, env: Record<string, string> = {}): string[] {
  const rule = safetyRules.find((r) => r.name === name);
  if (rule === undefined) throw new TypeError(`no rule ${name}`);
  return rule.check(file, env).map((f) => `${f.path.map(String).join('.')}: ${f.message}`);
}

describe('pathsOverlap', () => {
  it('compares whole segments after normalizing slashes', () => {
    expect(pathsOverlap('secret', 'secret')).toBe(true);
    expect(pathsOverlap('secret/app', '/secret//')).toBe(true);
    expect(pathsOverlap('secret', 'secret/merged')).toBe(true);
    expect(pathsOverlap('secret/app', 'secret/apps')).toBe(false);
    expect(pathsOverlap('secret', 'merged')).toBe(false);
  });
});

describe('merge-store-outside-sources', () => {
  const file = (mount: string, source: NonNullable<ConfigFile['sources']>[string]): ConfigFile => ({
    vault: { address: 'https://vault:8200' },
    sources: { common: source, other: { vault: { mount: 'kv' } } },
    merge_store: { vault: { mount } },
  });

  it('refuses a merge store on the mount a source reads, naming both', () => {
    expect(
      check('merge-store-outside-sources', file('secret', { vault: { mount: 'secret' } })),
    ).toEqual([
      'merge_store.vault.mount: merge store "secret" overlaps source "common" (Vault secret): the store keeps bundles at secret/<target>/ and its state at secret/.secretsync/, which the source would read back and sync into AWS; give the merge store a mount of its own (e.g. merge_store.vault.mount: secretsync-merged) or point the source outside secret/',
    ]);
  });

  it('refuses a source inside the store and a store inside a source', () => {
    const inside = file('secret', { vault: { mount: 'secret', path: 'app' } });
    expect(check('merge-store-outside-sources', inside)).toHaveLength(1);
    const around = file('secret/merged', { vault: { mount: 'secret' } });
    expect(check('merge-store-outside-sources', around)[0]).toContain(
      'merge store "secret/merged" overlaps source "common" (Vault secret)',
    );
  });

  it('accepts sibling folders, other mounts and sources on another Vault', () => {
    expect(
      check(
        'merge-store-outside-sources',
        file('secret/merged', { vault: { mount: 'secret', path: 'mergedx' } }),
      ),
    ).toEqual([]);
    expect(
      check('merge-store-outside-sources', file('merged', { vault: { mount: 'secret' } })),
    ).toEqual([]);
    expect(
      check(
        'merge-store-outside-sources',
        file('secret', { vault: { mount: 'secret', address: 'https://other:8200' } }),
      ),
    ).toEqual([]);
    expect(
      check(
        'merge-store-outside-sources',
        file('secret', { vault: { mount: 'secret', namespace: 'team-a' } }),
      ),
    ).toEqual([]);
    expect(
      check('merge-store-outside-sources', file('secret', { aws: { account_id: '111111111111' } })),
    ).toEqual([]);
  });
});

describe('distinct-target-destinations', () => {
  const base: ConfigFile = { sources: { common: { vault: { mount: 'secret' } } } };

  it('refuses two targets on the same account, region and overlapping prefixes, naming both', () => {
    const findings = check('distinct-target-destinations', {
      ...base,
      targets: {
        Prod: { account_id: '111111111111', imports: ['common'], secret_prefix: 'app/' },
        Shadow: { account_id: '111111111111', imports: ['common'], secret_prefix: 'app/db/' },
      },
    });
    expect(findings).toEqual([
      expect.stringMatching(
        /^targets\.Shadow: targets "Prod" and "Shadow" both write to account 111111111111 in us-east-1 with overlapping secret prefixes "app\/" and "app\/db\/"/,
      ),
    ]);
  });

  it('treats shorthand targets as the caller account in the default region', () => {
    const findings = check(
      'distinct-target-destinations',
      { ...base, targets: { A: ['common'], B: ['common'] } },
      { AWS_REGION: 'eu-west-1' },
    );
    expect(findings).toEqual([
      expect.stringContaining(
        `targets "A" and "B" both write to the caller's account in eu-west-1 with overlapping secret prefixes "" and ""`,
      ),
    ]);
  });

  it('resolves the region through aws.region and keeps other regions apart', () => {
    const targets = {
      A: { account_id: '111111111111', imports: ['common'] },
      B: { account_id: '111111111111', imports: ['common'], region: 'eu-west-1' },
    };
    expect(check('distinct-target-destinations', { ...base, targets })).toEqual([]);
    expect(
      check('distinct-target-destinations', { ...base, aws: { region: 'eu-west-1' }, targets }),
    ).toHaveLength(1);
  });

  it('accepts the pair when one target sets allow_shared_prefix', () => {
    const targets = {
      A: { account_id: '111111111111', imports: ['common'] },
      B: { account_id: '111111111111', imports: ['common'], allow_shared_prefix: true },
    };
    expect(check('distinct-target-destinations', { ...base, targets })).toEqual([]);
  });
});
