import { AsyncLocalStorage } from 'node:async_hooks';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type {
  HttpHandlerOptions,
  InitializeHandlerOptions,
  InitializeMiddleware,
  MetadataBearer,
} from '@smithy/types';
import { InternalError } from '../../core/errors.js';
import type { Metrics } from '../../observability/metrics.js';
import type { CallExternal } from '../../resilience/call-wrapper.js';
import { AWS_COMMANDS, isFurtherPage } from './aws-commands.js';
import type { AwsService } from './aws-commands.js';
import { awsFailureHint } from './aws-failure-hint.js';
import type { AwsEndpoint } from './aws-failure-hint.js';

/** Which breaker, metric labels and log fields an SDK client's calls get. */
export interface ClientScope {
  readonly service: AwsService;
  /** Account id, or `caller` for the base credentials' own account. */
  readonly account: string;
  readonly region: string;
  /** The custom endpoint and the setting that named it; undefined for AWS's own endpoint. */
  readonly endpoint?: AwsEndpoint | undefined;
}

/** What the wrapper needs of an SDK client: its middleware stack, and a way to close it. */
export interface WrappableClient {
  readonly middlewareStack: {
    add(
      middleware: InitializeMiddleware<object, MetadataBearer>,
      options: InitializeHandlerOptions & { name: string; priority: 'high' },
    ): void;
  };
  destroy(): void;
}

/** The abort signal of the attempt in progress, read by the HTTP handler below. */
const attemptSignal = new AsyncLocalStorage<AbortSignal>();

/**
 * Installs the call wrapper as the outermost SDK middleware of a client, so every
 * `client.send(command)` is one wrapped call: operation and resource from {@link AWS_COMMANDS},
 * one breaker per service, account and region, retries, timeout, metrics and one log line.
 * Credential resolution and signing run inside, so a failing credential provider surfaces here.
 */
export function installCallWrapper(
  client: WrappableClient,
  call: CallExternal,
  metrics: Metrics,
  scope: ClientScope,
): void {
  const middleware: InitializeMiddleware<object, MetadataBearer> = (next, context) => (args) => {
    const commandName = context.commandName ?? '';
    const spec = AWS_COMMANDS[commandName];
    if (spec === undefined)
      return Promise.reject(
        new InternalError(`${commandName} has no entry in AWS_COMMANDS (aws-commands.ts)`),
      );
    const input = args.input as Readonly<Record<string, unknown>>;
    if (isFurtherPage(input))
      metrics.awsPagination.inc({ service: scope.service, operation: spec.operation });
    return call(
      {
        dependency: `aws:${scope.service}:${scope.account}:${scope.region}`,
        labels: { kind: 'aws', service: scope.service },
        operation: spec.operation,
        path: spec.resource(input),
        hintFor: (outcome, cause) => awsFailureHint(scope, outcome, cause),
      },
      (signal) => attemptSignal.run(signal, () => next(args)),
    );
  };
  client.middlewareStack.add(middleware, {
    step: 'initialize',
    priority: 'high',
    name: 'secretsyncCallWrapper',
  });
}

/**
 * The SDK's Node.js HTTP handler, aborting each request when the call wrapper gives up on its
 * attempt (timeout): the SDK passes `send` options to the handler, not per-attempt signals.
 */
export class AttemptAbortingHttpHandler extends NodeHttpHandler {
  override handle(
    request: Parameters<NodeHttpHandler['handle']>[0],
    options: HttpHandlerOptions = {},
  ): ReturnType<NodeHttpHandler['handle']> {
    const signal = options.abortSignal ?? attemptSignal.getStore();
    return super.handle(
      request,
      signal === undefined ? options : { ...options, abortSignal: signal },
    );
  }
}
