// Tests for parseScoreFile: single-column and ODIN three-column formats, blank lines, and errors by line number.
import { describe, expect, it } from 'vitest';
import { parseScoreFile } from './score-file.ts';

describe('parseScoreFile', () => {
  it('reads one score per line, ignoring blank lines and CRLF', () => {
    expect(Array.from(parseScoreFile('0.5\r\n\n  -1.25e-3 \n\n3\n'))).toEqual([0.5, -1.25e-3, 3]);
  });

  it('takes the last column of the ODIN "T, eps, score" format', () => {
    const text = '1000, 0.0014, 0.10010495\n1000,0.0014,0.2\n1000 0.0014 0.3\n1000 ,\t0.0014 , .4\n';
    expect(Array.from(parseScoreFile(text))).toEqual([0.10010495, 0.2, 0.3, 0.4]);
  });

  it('accepts inf and a leading byte-order mark', () => {
    expect(Array.from(parseScoreFile('\uFEFF1\ninf\n-Infinity\n'))).toEqual([1, Infinity, -Infinity]);
  });

  it('gives an empty array for a file with no scores', () => {
    expect(parseScoreFile('\n \n').length).toBe(0);
  });

  it('names the line of a bad number', () => {
    expect(() => parseScoreFile('1\n\n2x\n')).toThrow(/line 3: "2x" is not a number/);
    expect(() => parseScoreFile('1, 2, abc')).toThrow(/line 1/);
    expect(() => parseScoreFile('1,,3')).toThrow(/line 1/);
  });

  it('names the line of a NaN score', () => {
    expect(() => parseScoreFile('1\nnan\n')).toThrow(/line 2: NaN is not a valid score/);
  });

  it('names the line with a wrong or inconsistent column count', () => {
    expect(() => parseScoreFile('1 2\n')).toThrow(/line 1: expected 1 column/);
    expect(() => parseScoreFile('1, 0.1, 0.5\n0.7\n')).toThrow(/line 2: expected 3 column/);
  });
});
