import { suggestClosest } from './suggest.js';

/*
 * The AWS regions SecretSync knows, by partition (checked December 2026). A region launched later
 * is refused until this table lists it: a typo such as `us-est-1` otherwise only shows up as a
 * network error at run time, in every account.
 */

/** Known region names of each AWS partition. */
export const AWS_REGIONS = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'mx-central-1',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
} as const satisfies Record<string, readonly string[]>;

const KNOWN: readonly string[] = Object.values(AWS_REGIONS).flat();

/** Checks that a region is a known AWS region; suggests the closest one for a likely typo. */
export function checkKnownRegion(value: string): string | undefined {
  if (KNOWN.includes(value)) return undefined;
  const hint = suggestClosest(value, KNOWN);
  const advice =
    hint === undefined
      ? 'use a region name such as us-east-1 or eu-west-2 (commercial, GovCloud or China)'
      : `did you mean "${hint}"?`;
  return `"${value}" is not a known AWS region: ${advice}`;
}
