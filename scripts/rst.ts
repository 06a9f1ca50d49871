/** Small helpers for writing reStructuredText from generated data. */

/** Escapes text so docutils reads it literally: markup characters get a backslash. */
export function escapeRst(text: string): string {
  return text.replace(/[\\*`|_]/g, (char) => `\\${char}`);
}

/**
 * Converts a TSDoc or schema sentence to RST inline text: Markdown `code` becomes an RST inline
 * literal, and everything else is escaped.
 */
export function inlineRst(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 2
        ? literal(part.slice(1, -1))
        : escapeRst(part),
    )
    .join('');
}

/** An inline literal (``text``); a space pads text that starts or ends with a backtick. */
export function literal(text: string): string {
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `\`\`${padded}\`\``;
}

/** A section title with its underline (and overline for the page title). */
export function heading(title: string, char: '=' | '-' | '~' | '^', overline = false): string {
  const line = char.repeat(Math.max(title.length, 3));
  return overline ? `${line}\n${title}\n${line}\n` : `${title}\n${line}\n`;
}

/** A `list-table` directive: the first row is the header. */
export function listTable(rows: readonly (readonly string[])[], widths: readonly number[]): string {
  const lines = ['.. list-table::', '   :header-rows: 1', `   :widths: ${widths.join(' ')}`, ''];
  for (const row of rows) {
    row.forEach((cell, index) => {
      lines.push(`   ${index === 0 ? '*' : ' '} - ${cell === '' ? '\\-' : cell}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
