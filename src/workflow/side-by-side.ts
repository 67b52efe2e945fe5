/**
 * Runs independent pieces of work at once and waits for every one of them, so none is still
 * running (and changing a draft record) when the caller moves on. Returns their results in order;
 * when some fail, throws the first failure in that order.
 */
export async function sideBySide<T extends readonly unknown[] | []>(
  work: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(work);
  const values = settled.map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
  return values as { -readonly [K in keyof T]: Awaited<T[K]> };
}
