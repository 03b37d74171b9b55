import type { StoredObject } from '@trainyard/contracts';
import { readPreparedBundle, type PreparedData } from '@trainyard/ml';
import type { DataContext } from './step-context';

/** A job's prepared bundle from the store (the local cache when it is there), decoded into its arrays. */
export async function readPrepared(ctx: DataContext, object: StoredObject): Promise<PreparedData> {
  const file = await ctx.storage.open(object);
  try {
    const prepared = await readPreparedBundle(file.path);
    ctx.progress();
    return prepared;
  } finally {
    file.release();
  }
}
