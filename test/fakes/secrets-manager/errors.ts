/** An error the fake answers with: AWS's awsJson1_1 error shape (SPEC.md §1). */
export class FakeServiceError extends Error {
  constructor(
    /** The AWS error type, e.g. `ResourceNotFoundException`; the SDK's exception class name. */
    readonly type: string,
    message: string,
    /** HTTP status of the answer. */
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** No secret with that id in the caller's account and region. */
export function secretNotFound(): FakeServiceError {
  return new FakeServiceError(
    'ResourceNotFoundException',
    "Secrets Manager can't find the specified secret.",
  );
}

/** The secret is scheduled for deletion (InvalidRequestException, first documented cause). */
export function scheduledForDeletion(): FakeServiceError {
  return new FakeServiceError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );
}

/** A parameter name or value is invalid. */
export function invalidParameter(message: string): FakeServiceError {
  return new FakeServiceError('InvalidParameterException', message);
}

/** A parameter value is not valid for the current state of the resource. */
export function invalidRequest(message: string): FakeServiceError {
  return new FakeServiceError('InvalidRequestException', message);
}
