import { describe, expect, it } from 'vitest';
import type { NameMatching } from '../config/types.js';
import {
  defaultTargetName,
  baseTargetName,
  matchStaticTarget,
  normalizeNameKey,
  stripAffixes,
} from './account-naming.js';

const matching = (overrides: Partial<NameMatching> = {}): NameMatching => ({
  strategy: 'exact',
  caseInsensitive: true,
  normalizeKeys: false,
  stripPrefixes: [],
  stripSuffixes: [],
  ...overrides,
});
const named = (name: string, id = '123456789012') => ({ id, name, status: 'ACTIVE', tags: {} });

describe('baseTargetName', () => {
  it('turns every run of non-alphanumerics into one underscore', () => {
    expect(baseTargetName(named('Analytics Sandbox'), matching())).toBe('Analytics_Sandbox');
    expect(baseTargetName(named('sandbox-alpha'), matching())).toBe('sandbox_alpha');
    expect(baseTargetName(named('  Team  /  Data__Lake (EU) '), matching())).toBe(
      'Team_Data_Lake_EU',
    );
  });

  it('strips the configured prefix and suffix first, case-insensitively by default', () => {
    const strip = matching({ stripPrefixes: ['aws-', 'acme-'], stripSuffixes: ['-Account'] });
    expect(baseTargetName(named('AWS-prod-data-account'), strip)).toBe('prod_data');
    expect(baseTargetName(named('acme-dev'), strip)).toBe('dev');
    const exactCase = matching({ stripPrefixes: ['aws-'], caseInsensitive: false });
    expect(baseTargetName(named('AWS-prod'), exactCase)).toBe('AWS_prod');
  });

  it('falls back to account_<id> when nothing usable is left', () => {
    expect(baseTargetName(named(''), matching())).toBe('account_123456789012');
    expect(baseTargetName(named('---'), matching())).toBe('account_123456789012');
  });
});

describe('stripAffixes', () => {
  it('never strips the whole name', () => {
    expect(stripAffixes('aws-', matching({ stripPrefixes: ['aws-'] }))).toBe('aws-');
  });
});

describe('matchStaticTarget', () => {
  const patterns = [
    { pattern: 'prod', target: 'Production' },
    { pattern: '^stag.*', target: 'Staging' },
  ];

  it('exact: the pattern must cover the whole (stripped) name', () => {
    expect(matchStaticTarget('prod', patterns, matching())).toBe('Production');
    expect(matchStaticTarget('PROD', patterns, matching())).toBe('Production');
    expect(matchStaticTarget('prod-eu', patterns, matching())).toBeUndefined();
    expect(matchStaticTarget('staging-2', patterns, matching())).toBe('Staging');
    const strip = matching({ stripPrefixes: ['acme-'] });
    expect(matchStaticTarget('acme-prod', patterns, strip)).toBe('Production');
  });

  it('exact with case_insensitive false respects case', () => {
    expect(matchStaticTarget('PROD', patterns, matching({ caseInsensitive: false }))).toBe(
      undefined,
    );
  });

  it('fuzzy: the pattern may match any part; the first matching pattern wins', () => {
    const fuzzy = matching({ strategy: 'fuzzy' });
    expect(matchStaticTarget('eu-prod-data', patterns, fuzzy)).toBe('Production');
    expect(matchStaticTarget('staging-prod', patterns, fuzzy)).toBe('Production');
    expect(matchStaticTarget('dev', patterns, fuzzy)).toBeUndefined();
  });

  it('loose: separators are unified and case is ignored', () => {
    const loose = matching({ strategy: 'loose', caseInsensitive: false });
    const dashed = [{ pattern: 'prod-data', target: 'Production' }];
    expect(matchStaticTarget('Prod_Data', dashed, loose)).toBe('Production');
    expect(matchStaticTarget('PROD  data.eu', dashed, loose)).toBe('Production');
    expect(matchStaticTarget('Prod_Data', dashed, matching({ strategy: 'fuzzy' }))).toBeUndefined();
    expect(
      matchStaticTarget('Prod_Data', dashed, matching({ strategy: 'fuzzy', normalizeKeys: true })),
    ).toBe('Production');
  });

  it('never matches an unknown (empty) name', () => {
    expect(matchStaticTarget('', [{ pattern: '.*', target: 'X' }], matching())).toBeUndefined();
  });

  it('normalizeNameKey writes separator runs as one dash', () => {
    expect(normalizeNameKey(' a__b . c ')).toBe('a-b-c');
  });
});

describe('defaultTargetName', () => {
  it('is the name the default naming rule gives, as reports, logs and the demo print it', () => {
    const account = { id: '123456789012', name: 'sandbox-alpha', status: 'ACTIVE', tags: {} };
    expect(defaultTargetName(account)).toBe('sandbox_alpha');
    expect(defaultTargetName({ ...account, name: '' })).toBe('account_123456789012');
  });
});
