import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to do to a matching request. */
/**
 * What to do to a matching request; `slow` holds the request back before AWS sees it, `late`
 * lets AWS carry it out at once and holds the answer back (the call lands, its answer is lost).
 */
export type AwsFault =
  'throttle' | 'error500' | 'unavailable503' | 'denied' | 'slow' | 'late' | 'reset';

/** A fault for an AWS action (`CreateSecret`, `AssumeRole`, or `*`), for `times` requests or forever. */
export interface AwsFaultRule {
  readonly action: string;
  readonly fault: AwsFault;
  readonly times?: number;
  readonly delayMs?: number;
  /** Only requests whose body contains this text (a secret prefix, a role ARN). */
  readonly match?: string;
}

/**
 * A loopback proxy in front of moto that answers chosen requests with protocol-correct faults
 * (test-peers.md B.8): awsJson services get `ThrottlingException` / 5xx JSON bodies, STS (query
 * protocol) gets the XML error document; `slow` delays then forwards; `reset` drops the socket.
 */
export async function startAwsFaultProxy(upstream: string) {
  const target = new URL(upstream);
  let rules: (AwsFaultRule & { left: number })[] = [];
  const seen = new Map<string, number>();
  const load = { inFlight: 0, maxInFlight: 0 };
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const { action, query } = actionOf(incoming, body);
      seen.set(action, (seen.get(action) ?? 0) + 1);
      const rule = rules.find(
        (candidate) =>
          candidate.left > 0 &&
          (candidate.action === '*' || candidate.action === action) &&
          (candidate.match === undefined || body.toString('utf8').includes(candidate.match)),
      );
      if (rule !== undefined) rule.left -= 1;
      const forward = (answerAfterMs = 0) => {
        load.inFlight += 1;
        load.maxInFlight = Math.max(load.maxInFlight, load.inFlight);
        outgoing.on('close', () => {
          load.inFlight -= 1;
        });
        const upstreamRequest = request(
          {
            host: target.hostname,
            port: target.port,
            method: incoming.method,
            path: incoming.url,
            headers: incoming.headers,
          },
          (answer) => {
            const reply = () => {
              outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(outgoing);
            };
            if (answerAfterMs === 0) reply();
            else setTimeout(reply, answerAfterMs).unref();
          },
        );
        upstreamRequest.on('error', () => outgoing.destroy());
        upstreamRequest.end(body);
      };
      if (rule === undefined) {
        forward();
        return;
      }
      if (rule.fault === 'reset') return incoming.socket.destroy();
      if (rule.fault === 'slow') return void setTimeout(forward, rule.delayMs ?? 2_000).unref();
      if (rule.fault === 'late') {
        forward(rule.delayMs ?? 2_000);
        return;
      }
      answerFault(outgoing, rule.fault, query);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Requests seen per action since the last `clear()`. */
    seen,
    /** Requests forwarded at once, now and at the peak. */
    load,
    add(rule: AwsFaultRule): void {
      rules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clear(): void {
      rules = [];
      seen.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function answerFault(
  outgoing: ServerResponse,
  fault: Exclude<AwsFault, 'slow' | 'late' | 'reset'>,
  query: boolean,
): void {
  const [status, code, message] = {
    throttle: [400, query ? 'Throttling' : 'ThrottlingException', 'Rate exceeded'],
    error500: [500, query ? 'InternalFailure' : 'InternalServiceError', 'injected internal error'],
    unavailable503: [503, 'ServiceUnavailable', 'injected unavailability'],
    denied: [
      403,
      query ? 'AccessDenied' : 'AccessDeniedException',
      'User is not authorized to perform this action',
    ],
  }[fault] as [number, string, string];
  if (query) {
    outgoing.writeHead(status, { 'content-type': 'text/xml' });
    outgoing.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-1</RequestId></ErrorResponse>`,
    );
    return;
  }
  outgoing.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': code,
  });
  outgoing.end(JSON.stringify({ __type: code, message }));
}

function actionOf(incoming: IncomingMessage, body: Buffer): { action: string; query: boolean } {
  const amzTarget = incoming.headers['x-amz-target'];
  if (typeof amzTarget === 'string')
    return { action: amzTarget.split('.').at(-1) ?? '', query: false };
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString('utf8'))?.[1];
  return action === undefined
    ? { action: `S3:${incoming.method ?? ''}`, query: false }
    : { action, query: true };
}
