import { Writable } from 'node:stream';
import { z } from 'zod';
import { escapeWorkflowData } from '../core/workflow-command.js';

/** pino's numeric levels of the records that become annotations. */
const WARN = 40;
const ERROR = 50;

/** A record with this field set is not annotated: the report annotates what it says already. */
export const REPORTED_FIELD = 'annotated_by_report';

const record = z
  .object({
    level: z.number(),
    msg: z.string().optional(),
    [REPORTED_FIELD]: z.boolean().optional(),
  })
  .loose();

/**
 * A stream for pino's JSON records that writes each warning and error as a GitHub Actions
 * workflow command (`::warning title=SecretSync::…`, `::error title=SecretSync::…`) on a line of
 * its own, so it shows as an annotation on the run. Only the message is used, never the fields;
 * `%`, CR and LF are escaped so a message stays one command. Records marked `annotated_by_report`
 * (a target's failed phase, which the report annotates) are left out, so nothing shows twice.
 */
export function annotationStream(write: (line: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const line = annotationFor(chunk.toString());
      if (line !== undefined) write(line);
      callback();
    },
  });
}

/** The workflow command for one JSON log record, or undefined below warn level. */
export function annotationFor(json: string): string | undefined {
  const parsed = record.safeParse(parseJson(json));
  if (!parsed.success || parsed.data.level < WARN || parsed.data[REPORTED_FIELD] === true)
    return undefined;
  const command = parsed.data.level >= ERROR ? 'error' : 'warning';
  return `::${command} title=SecretSync::${escapeWorkflowData(parsed.data.msg ?? '')}\n`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
