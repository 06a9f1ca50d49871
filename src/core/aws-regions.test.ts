import { describe, expect, it } from 'vitest';
import { AWS_REGIONS, checkKnownRegion } from './aws-regions.js';

describe('checkKnownRegion', () => {
  it('accepts commercial, GovCloud and China regions', () => {
    for (const ok of ['us-east-1', 'eu-central-2', 'mx-central-1', 'us-gov-west-1', 'cn-north-1'])
      expect(checkKnownRegion(ok)).toBeUndefined();
  });

  it('suggests the closest region for a typo', () => {
    expect(checkKnownRegion('us-est-1')).toBe(
      '"us-est-1" is not a known AWS region: did you mean "us-east-1"?',
    );
    expect(checkKnownRegion('eu-wset-1')).toContain('did you mean "eu-west-1"?');
  });

  it('refuses well-formed names of regions that do not exist, and other text', () => {
    expect(checkKnownRegion('mars-north-9')).toContain('is not a known AWS region');
    expect(checkKnownRegion('US-EAST-1')).toContain('did you mean "us-east-1"?');
    expect(checkKnownRegion('')).toContain('is not a known AWS region');
  });

  it('lists each region once, sorted within its partition', () => {
    for (const regions of Object.values(AWS_REGIONS)) {
      expect([...regions]).toEqual([...new Set(regions)].sort());
    }
  });
});
