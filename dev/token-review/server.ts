import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** The service account a token stands for, as a TokenReview reports it. */
export interface ServiceAccountIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** A started TokenReview endpoint; see SPEC.md beside this file. */
export interface RunningTokenReview {
  /** Base address to give Vault as `kubernetes_host`, e.g. `http://127.0.0.1:43121`. */
  readonly address: string;
  /** Makes `token` authenticate as `identity` from now on. */
  accept(token: string, identity: ServiceAccountIdentity): void;
  /** How many reviews were asked for so far. */
  reviews(): number;
  close(): Promise<void>;
}

const REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';
const BODY_LIMIT = 1024 * 1024;
// The URL names the type, so `kind` may be absent (Vault's plugin sends none), as on a real API server.
const reviewRequest = z.object({
  kind: z.literal('TokenReview').optional(),
  spec: z.object({ token: z.string(), audiences: z.array(z.string()).optional() }),
});

/** Starts a loopback Kubernetes TokenReview endpoint that knows a fixed set of tokens. */
export async function startTokenReview(): Promise<RunningTokenReview> {
  const known = new Map<string, ServiceAccountIdentity>();
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    void answer(known, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    accept: (token, identity) => known.set(token, identity),
    reviews: () => count,
    close: () => closeServer(server),
  };
}

async function answer(
  known: ReadonlyMap<string, ServiceAccountIdentity>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'POST' || req.url !== REVIEW_PATH) {
    send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    return;
  }
  if (!(req.headers.authorization ?? '').startsWith('Bearer ')) {
    send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    return;
  }
  const parsed = reviewRequest.safeParse(await readJson(req));
  if (!parsed.success) {
    send(res, 400, status(400, 'BadRequest', 'the body is not a TokenReview'));
    return;
  }
  const identity = known.get(parsed.data.spec.token);
  send(res, 201, review(identity, parsed.data.spec.audiences));
}

function review(identity: ServiceAccountIdentity | undefined, audiences: string[] | undefined) {
  const base = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {} };
  if (identity === undefined) {
    return { ...base, status: { authenticated: false, user: {}, error: 'invalid bearer token' } };
  }
  const user = {
    username: `system:serviceaccount:${identity.namespace}:${identity.name}`,
    uid: identity.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${identity.namespace}`],
  };
  return {
    ...base,
    status: { authenticated: true, user, ...(audiences === undefined ? {} : { audiences }) },
  };
}

function status(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}
