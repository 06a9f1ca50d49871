import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Operation } from './operation.js';

/** What is known about the current run and, inside an external call, about that call. */
export interface RequestContext {
  readonly runId: string;
  readonly requestId?: string;
  readonly operation?: Operation;
  readonly path?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` as one command invocation with a fresh run id. */
export function withRun<T>(fn: () => T, runId: string = randomUUID()): T {
  return storage.run({ runId }, fn);
}

/** Runs `fn` as one external call: a new request id, carried by everything `fn` awaits. */
export function withRequest<T>(
  call: { readonly operation: Operation; readonly path: string; readonly requestId?: string },
  fn: (requestId: string) => T,
): T {
  const requestId = call.requestId ?? randomUUID();
  const parent = storage.getStore();
  return storage.run(
    { runId: parent?.runId ?? 'none', requestId, operation: call.operation, path: call.path },
    () => fn(requestId),
  );
}

/** The context of the code running now, if any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
