/**
 * The column layout of kubectl's tables: Go's text/tabwriter as kubectl configures it
 * (cli-runtime/pkg/printers/tabwriter.go: minwidth 6, padding 3, pad with spaces, no flags).
 * A cell is as wide as the widest cell of its column plus 3, at least 6; the last cell of a row is
 * not padded. Widths count runes, as tabwriter does.
 */
const MIN_WIDTH = 6;
const PADDING = 3;

const width = (s: string): number => [...s].length;

export function formatTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const cols = Math.max(...rows.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < cols - 1; c++) {
    let w = MIN_WIDTH;
    for (const r of rows) if (c < r.length - 1) w = Math.max(w, width(r[c] ?? '') + PADDING);
    widths.push(w);
  }
  let out = '';
  for (const r of rows) {
    let line = '';
    r.forEach((cell, c) => {
      line += c === r.length - 1 ? cell : cell + ' '.repeat(widths[c]! - width(cell));
    });
    out += `${line}\n`;
  }
  return out;
}

/**
 * Go's text/tabwriter over a whole text (cells end at `\t`, column blocks are runs of consecutive
 * lines that have the cell), as `kubectl describe` uses it (minwidth 0, padding 2).
 */
export function tabwrite(text: string, minWidth = 0, padding = 2): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  if (lines.length > 0 && lines[lines.length - 1]!.length === 1 && lines[lines.length - 1]![0] === '') lines.pop();
  const widths: number[] = [];
  const out: string[] = [];
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      let s = '';
      cells.forEach((c, j) => {
        if (j < cells.length - 1) s += c + ' '.repeat(Math.max(0, (widths[j] ?? 0) - width(c)));
        else s += c;
      });
      out.push(s);
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      writeLines(start, t);
      start = t;
      let w = minWidth;
      for (; t < line1; t++) {
        const cells = lines[t]!;
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column]!) + padding);
      }
      widths.push(w);
      format(start, t);
      widths.pop();
      start = t;
      t--;
    }
    writeLines(start, line1);
  };
  format(0, lines.length);
  return out.length ? `${out.join('\n')}\n` : '';
}
