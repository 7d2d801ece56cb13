/**
 * Which reference marks on a time chart get a text label, and on which row, so labels never
 * overlap: marks are taken left to right, each goes on the first row where it starts at least
 * `gap` px after the previous label on that row ends, and a mark that fits on no row keeps its
 * line but loses its label (its value is in the tooltip-free lists beside the chart: the baseline
 * history and the change-point count). Pure: widths are estimated from the text length.
 */
export interface MarkLabel {
  /** Position of the mark in px from the plot's left edge. */
  x: number;
  text: string;
}

/** ~0.6 em a character at the chart's 11 px label size, plus the label's inset. */
export const labelWidth = (text: string, fontPx = 11): number => Math.ceil(text.length * fontPx * 0.6) + 6;

/** Row index for each label (0 = first row), or -1 where it would overlap on every row. */
export function labelRows(marks: readonly MarkLabel[], opts: { rows: number; plotWidth: number; gap?: number }): number[] {
  const gap = opts.gap ?? 4;
  const ends: number[] = Array.from({ length: Math.max(0, opts.rows) }, () => -Infinity);
  const order = marks.map((m, i) => i).sort((a, b) => marks[a]!.x - marks[b]!.x || a - b);
  const rows = marks.map(() => -1);
  for (const i of order) {
    const m = marks[i]!;
    const w = labelWidth(m.text);
    // A label drawn to the right of its line must end inside the plot.
    if (!(m.x >= 0) || m.x + w > opts.plotWidth) continue;
    const row = ends.findIndex((end) => m.x >= end + gap);
    if (row === -1) continue;
    rows[i] = row;
    ends[row] = m.x + w;
  }
  return rows;
}
