/** A copy of `o` without its undefined fields: turns a partial update into a SET list. */
export const dropUndefined = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
