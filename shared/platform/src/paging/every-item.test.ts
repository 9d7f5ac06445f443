import { everyItem } from './every-item';

describe('everyItem', () => {
  const listOf = (total: number, reads: number[]) => (offset: number, limit: number) => {
    reads.push(offset);
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
    return Promise.resolve({ items });
  };

  it('reads page after page until a short one', async () => {
    const reads: number[] = [];
    const seen: number[] = [];
    for await (const item of everyItem(listOf(7, reads), 3)) seen.push(item);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(reads).toEqual([0, 3, 6]);
  });

  it('reads one more (empty) page when the last one is full', async () => {
    const reads: number[] = [];
    const seen: number[] = [];
    for await (const item of everyItem(listOf(6, reads), 3)) seen.push(item);
    expect(seen).toHaveLength(6);
    expect(reads).toEqual([0, 3, 6]);
  });

  it('stops reading when the caller stops iterating', async () => {
    const reads: number[] = [];
    for await (const item of everyItem(listOf(100, reads), 3)) if (item === 1) break;
    expect(reads).toEqual([0]);
  });
});
