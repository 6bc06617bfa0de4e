/**
 * Statements prepared once: drizzle builds a prepared query's SQL when it is made, not on every
 * call, and `pg` parses a named statement once per connection (PostgreSQL keeps it, and may keep
 * its plan). The hot queries of every signed-in request are made through this, once per database
 * handle and variant.
 */
import type { Db } from "../client.ts";

/**
 * A cache of prepared statements per database handle and variant.
 * @param name the statement's name for a variant (unique among the application's statements)
 * @param build makes the prepared query of a variant (`.prepare(name)`), with placeholders for
 *   every value
 * @returns a function giving the variant's prepared query on a database handle
 */
export function preparedStatements<V, T>(
  name: (variant: V) => string,
  build: (db: Db, variant: V, name: string) => T,
): (db: Db, variant: V) => T {
  const byDb = new WeakMap<Db, Map<string, T>>();
  return (db, variant) => {
    const key = name(variant);
    let byName = byDb.get(db);
    if (!byName) {
      byName = new Map();
      byDb.set(db, byName);
    }
    let query = byName.get(key);
    if (query === undefined) {
      query = build(db, variant, key);
      byName.set(key, query);
    }
    return query;
  };
}
