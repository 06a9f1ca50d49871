const ESC = '\x1b';
const ERASE_LINE = `${ESC}[2K`;
// Other control sequences (colour, cursor) change no text; they are skipped.
const OTHER_CSI = new RegExp(`^${ESC}\\[[0-9;?]*[A-Za-z]`);

/**
 * The lines a terminal shows for `raw` output: `\r` returns to column 0, ESC[2K erases the line
 * (the cursor stays), `\n` ends the line, other characters overwrite the cell under the cursor.
 */
export function screenLines(raw: string): string[] {
  const lines: string[] = [];
  let row: string[] = [];
  let column = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const rest = raw.slice(i, i + 16);
    if (rest.startsWith(ERASE_LINE)) {
      row = new Array<string>(column).fill(' ');
      i += ERASE_LINE.length - 1;
      continue;
    }
    const csi = OTHER_CSI.exec(rest);
    if (csi !== null) {
      i += csi[0].length - 1;
      continue;
    }
    const char = raw.charAt(i);
    if (char === '\r') column = 0;
    else if (char === '\n') {
      lines.push(row.join('').trimEnd());
      row = [];
      column = 0;
    } else {
      row[column] = char;
      column += 1;
    }
  }
  if (row.length > 0) lines.push(row.join('').trimEnd());
  return lines;
}
