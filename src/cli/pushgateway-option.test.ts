import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { UsageError } from '../core/errors.js';
import { pushgatewayUrl } from './pushgateway-option.js';
import { MINIMAL_CONFIG_YAML } from '../../test/support/minimal-config.js';

const BASE = MINIMAL_CONFIG_YAML;

function config(yaml: string) {
  return parseConfig(BASE + yaml, 'config.yaml', {}).config;
}

const WITH_URL = config('metrics:\n  pushgateway:\n    url: http://pg.monitoring:9091\n');

describe('--pushgateway', () => {
  it('is off unless the flag or metrics.pushgateway.url names one', () => {
    expect(pushgatewayUrl(undefined, config(''))).toBeUndefined();
    expect(pushgatewayUrl(undefined, WITH_URL)).toBe('http://pg.monitoring:9091');
  });

  it('wins over the config; an empty value (an unset CI variable) leaves the config in charge', () => {
    expect(pushgatewayUrl('https://other:9091', WITH_URL)).toBe('https://other:9091');
    expect(pushgatewayUrl(' ', WITH_URL)).toBe('http://pg.monitoring:9091');
  });

  it('refuses what is not an http(s) URL, without echoing the value', () => {
    for (const bad of ['pg:9091 s3cret', 'ftp://pg:21', 'bot:s3cret@pg'])
      expect(() => pushgatewayUrl(bad, WITH_URL)).toThrow(UsageError);
    expect(() => pushgatewayUrl('bot:s3cret@pg', WITH_URL)).not.toThrow(/s3cret/);
  });

  it('the config refuses a URL that is not http(s)', () => {
    expect(() => config('metrics:\n  pushgateway:\n    url: ftp://pg:21\n')).toThrow(
      /metrics\.pushgateway\.url: must be an http\(s\) URL/,
    );
  });
});
