import { describe, expect, it } from 'vitest';
import { DataError } from '../core/errors.js';
import { classifyFailure } from './classify.js';

describe('classifyFailure', () => {
  it('lets an adapter attach a known outcome, which wins over the status', () => {
    expect(
      classifyFailure(Object.assign(new Error('x'), { status: 503, outcome: 'invalid_request' })),
    ).toMatchObject({ outcome: 'invalid_request', transient: false });
    expect(classifyFailure(new DataError('not JSON')).outcome).toBe('invalid_request');
  });

  it('ignores an outcome field that is not an outcome and classifies by status', () => {
    const failure = classifyFailure(
      Object.assign(new Error('x'), { status: 503, outcome: 'maybe' }),
    );
    expect(failure).toMatchObject({ outcome: 'unavailable', transient: true });
  });

  it('treats a credential chain that found nothing as access denied, never retried', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(classifyFailure(error)).toMatchObject({ outcome: 'access_denied', transient: false });
  });
});
