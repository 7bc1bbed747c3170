// Parses detector score files: one score per line, or the ODIN reference's "T, eps, score" lines.

// A decimal float as Python/NumPy or JS prints it, or inf/infinity (any case, optional sign).
const NUMBER = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity)$/i;

function parseNumber(token: string): number {
  if (!NUMBER.test(token)) return Number.NaN;
  const body = token.replace(/^[+-]/, '').toLowerCase();
  if (body === 'inf' || body === 'infinity') return token.startsWith('-') ? -Infinity : Infinity;
  return Number(token);
}

/**
 * Parses a score file into a Float64Array, one score per non-blank line.
 *
 * Each line is either a single number, or the ODIN reference's three columns
 * "temperature, epsilon, score" (separated by commas and/or whitespace), of which the last column
 * is the score. All lines must have the same number of columns. Blank lines are ignored, and a
 * file with no scores gives an empty array.
 *
 * @throws Error naming the 1-based line number for a malformed line, a wrong column count or a
 *   NaN score.
 */
export function parseScoreFile(text: string): Float64Array {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const scores = new Float64Array(lines.length);
  let n = 0;
  let columns = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const where = `score file line ${i + 1}`;
    const tokens = line.split(/\s*,\s*|\s+/);
    if (tokens.length !== 1 && tokens.length !== 3) {
      throw new Error(`${where}: expected 1 column (score) or 3 (T, eps, score), got ${tokens.length}: "${line}"`);
    }
    if (columns !== 0 && tokens.length !== columns) {
      throw new Error(`${where}: expected ${columns} column(s) like the lines before it, got ${tokens.length}: "${line}"`);
    }
    columns = tokens.length;
    const values = tokens.map(parseNumber);
    const bad = values.findIndex(Number.isNaN);
    if (bad >= 0) {
      const token = tokens[bad];
      const reason = /^[+-]?nan$/i.test(token) ? 'NaN is not a valid score' : `"${token}" is not a number`;
      throw new Error(`${where}: ${reason}: "${line}"`);
    }
    scores[n++] = values[values.length - 1];
  }
  return scores.slice(0, n);
}
