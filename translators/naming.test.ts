import fc from 'fast-check';
import { fnv1, fnv1Digest } from './naming';

describe('fnv1Digest', () => {
  it("is Go's %x of the digest: 8 hex digits, zero-padded", () => {
    fc.assert(fc.property(fc.array(fc.string(), { maxLength: 4 }), (parts) => fnv1Digest(...parts) === fnv1(...parts).toString(16).padStart(8, '0')), { numRuns: 2000 });
    // Known values (Go: fmt.Sprintf("%x", fnv.New32().Sum32()) over the same bytes).
    expect(fnv1Digest('')).toBe('811c9dc5');
    expect(fnv1Digest('a')).toBe('050c5d7e');
  });
});
