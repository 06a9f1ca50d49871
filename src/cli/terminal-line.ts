/** Moves to column 0 and erases the whole line: the progress line is gone before other text. */
export const CLEAR_LINE = '\r\x1b[2K';

/** Redraws of the progress line at most this often (10 per second). */
const REDRAW_INTERVAL_MS = 100;

/** Longest progress text drawn, so it stays on one row of an 80-column terminal. */
const MAX_STATUS_WIDTH = 79;

/**
 * The one writer of stderr during a run. It owns the terminal's last line: logs and any other
 * stderr text go through `write`; the progress line goes through `status`. When progress is on
 * screen, the line is cleared before other text is written and redrawn after it, in the same
 * write, so a log line never shares a line with progress.
 */
export interface TerminalLine {
  /** Writes stderr text (log lines, warnings) above the progress line. */
  readonly write: (text: string) => void;
  /** Shows `text` as the progress line (throttled; never on a line another writer started). */
  readonly status: (text: string, options?: { readonly now?: boolean }) => void;
  /** Erases the progress line and stops showing it until the next `status`. */
  readonly clear: () => void;
}

/**
 * A terminal line over `writeErr`. When `enabled` is false (stderr is not a terminal, or
 * `--no-progress`), `status` draws nothing and `write` passes text through untouched.
 */
export function terminalLine(
  writeErr: (text: string) => void,
  options: { readonly enabled: boolean; readonly now: () => number },
): TerminalLine {
  let wanted: string | undefined; // the progress text to show
  let shown = false; // whether the progress line is on screen now
  let midLine = false; // other text left the cursor mid-line: drawing now would share it
  let drawnAt = Number.NEGATIVE_INFINITY;
  const drawn = (): string => {
    if (wanted === undefined || midLine) return '';
    shown = true;
    drawnAt = options.now();
    return `${CLEAR_LINE}${wanted}`;
  };
  return {
    write: (text) => {
      if (text === '') return;
      // Disabled, nothing is ever shown or wanted: the text passes through untouched.
      const prefix = shown ? CLEAR_LINE : '';
      shown = false;
      midLine = !text.endsWith('\n');
      writeErr(`${prefix}${text}${drawn()}`);
    },
    status: (text, drawOptions) => {
      if (!options.enabled) return;
      wanted = text.length > MAX_STATUS_WIDTH ? text.slice(0, MAX_STATUS_WIDTH) : text;
      const due = drawOptions?.now === true || options.now() - drawnAt >= REDRAW_INTERVAL_MS;
      if (!due) return;
      const frame = drawn();
      if (frame !== '') writeErr(frame);
    },
    clear: () => {
      wanted = undefined;
      if (!shown) return;
      shown = false;
      writeErr(CLEAR_LINE);
    },
  };
}
