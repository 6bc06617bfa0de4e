/**
 * Rotating the key that encrypts platform tokens (`snsgov publisher rotate-key`): a new key is
 * added to the key file and made current, every stored token is re-encrypted under it in one
 * audited transaction, and only then are the old keys removed from the file. A stop half-way
 * leaves every token readable: before the transaction commits the old key is still in the file;
 * after it, the new one is.
 */
import { allSealedTokens, updateConnection } from "../../db/repos/platform-publishing.ts";
import { change } from "../audit/record.ts";
import type { Actor, AppContext } from "../context.ts";
import { tokenContext } from "./connectors.ts";
import { addTokenKey, dropOtherKeys, loadTokenKeys, openToken, sealToken } from "./token-keys.ts";

/** Re-encrypts every token under a new key; returns the key ids and how many tokens moved. */
export async function rotateTokenKey(
  ctx: AppContext,
  props: { actor: Actor },
): Promise<{ from: string[]; to: string; reencrypted: number }> {
  const before = await loadTokenKeys(ctx.config.tokenKeyFile);
  const keys = await addTokenKey(before);
  const reencrypted = await change(ctx, props.actor, "publishing.rotate_key", async (tx, at) => {
    let count = 0;
    for (const row of await allSealedTokens(tx)) {
      if (row.tokenCiphertext === "" || row.tokenKeyId === keys.currentId) continue;
      const context = tokenContext(row.accountId, row.platform);
      const plain = openToken(keys, { ciphertext: row.tokenCiphertext, keyId: row.tokenKeyId }, context);
      const sealed = sealToken(keys, plain, context);
      await updateConnection(
        tx,
        row.id,
        { tokenCiphertext: sealed.ciphertext, tokenKeyId: sealed.keyId },
        at,
      );
      count++;
    }
    return {
      result: count,
      target: { type: "token_key", id: keys.currentId },
      summary: { from: [...before.keys.keys()], to: keys.currentId, reencrypted: count },
    };
  });
  await dropOtherKeys(keys);
  return { from: [...before.keys.keys()], to: keys.currentId, reencrypted };
}
