/**
 * Every item of an offset-paged list, read `pageSize` at a time (a page shorter than that is the
 * last). Stop iterating to stop reading.
 */
export async function* everyItem<T>(
  list: (offset: number, limit: number) => Promise<{ readonly items: readonly T[] }>,
  pageSize = 100,
): AsyncGenerator<T> {
  for (let offset = 0; ; offset += pageSize) {
    const { items } = await list(offset, pageSize);
    yield* items;
    if (items.length < pageSize) return;
  }
}
