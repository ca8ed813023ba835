import { describe, expect, it } from 'vitest';
import { formatCount } from '../src/format-count.js';

describe('formatCount', () => {
  it.each([0, 1, 12, 999, 1_000, 12_345, 999_999, 1_000_000, 123_456_789, -1, -1_234, -0, 0.5, 1_234.5678, -1_234.5678, -0.0001, 0.0004, 2.0005, 30_000.25, Number.MAX_SAFE_INTEGER, Infinity, -Infinity, NaN])(
    'writes %d as toLocaleString("en-US") does',
    (value) => {
      expect(formatCount(value)).toBe(value.toLocaleString('en-US'));
    },
  );
});
