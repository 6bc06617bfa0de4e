/** JPEG derivatives of post images (LINE preview, Instagram JPEG): SQL only. */
import { and, eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { postImageDerivatives } from "../schema.ts";

export type ImageDerivative = typeof postImageDerivatives.$inferSelect;

/** The derivative `variant` of image `imageId`, if it was made. */
export async function findDerivative(
  db: Db,
  imageId: number,
  variant: string,
): Promise<ImageDerivative | undefined> {
  const [row] = await db
    .select()
    .from(postImageDerivatives)
    .where(and(eq(postImageDerivatives.imageId, imageId), eq(postImageDerivatives.variant, variant)));
  return row;
}

/**
 * Keeps a derivative; when another sender kept the same one meanwhile, that one stays and is
 * returned (made from the same image by the same recipe).
 */
export async function insertDerivative(
  db: Db,
  values: Omit<typeof postImageDerivatives.$inferInsert, "id">,
): Promise<ImageDerivative> {
  const [row] = await db.insert(postImageDerivatives).values(values).onConflictDoNothing().returning();
  if (row) return row;
  const existing = await findDerivative(db, values.imageId, values.variant);
  if (!existing) throw new Error(`derivative ${values.variant} of image ${values.imageId} vanished`);
  return existing;
}
