import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../src/data/parse-number.js';
import { seededArray } from '../helpers/seeded.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const parse = (s: string) => parseNumber(bytes(s), 0, bytes(s).length);

describe('parseNumber', () => {
  it('equals Number() on decimal and exponent forms, fast and slow paths', () => {
    const cases = ['0', '-0', '1', '+2', '3.25', '-0.000123', '.5', '5.', '1e3', '1E-3', '6.02214076e23', '123456789012345678', '0.1', '2.2250738585072014e-308', ' 7 ', '"8.5"', '00012.5000'];
    for (const c of cases) expect(parse(c), c).toBe(Number(c.trim().replace(/"/g, '')));
    const v = seededArray(2000, 3, -1000, 1000);
    for (const x of v) for (const s of [x.toFixed(6), x.toExponential(8), String(x)]) expect(parse(s), s).toBe(Number(s));
  });

  it('NaN for what is not a plain decimal number', () => {
    for (const c of ['', ' ', 'abc', '1,5', '1e', '--1', '0x10', 'Infinity', 'NaN', '1.2.3', '""']) expect(parse(c), c).toBeNaN();
  });
});
