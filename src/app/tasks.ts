/**
 * "My tasks": what a person has to do, gathered from every feature (approvals waiting, rotations
 * due, acknowledgements…), overdue first, then by due date.
 */
import type { AppContext, StaffActor } from "./context.ts";
import type { Task } from "./feature.ts";
import { features } from "./features.ts";

export type { Task } from "./feature.ts";

/**
 * Every task of a person, overdue first, then by due date. The same task reached twice (a person
 * who is asked as the 課長 and as the deputy named for the day, say) is listed once, at its most
 * urgent.
 */
export async function myTasks(ctx: AppContext, actor: StaffActor): Promise<Task[]> {
  const lists = await Promise.all(
    features().map((f) => (f.tasks ? f.tasks(ctx, actor) : Promise.resolve([]))),
  );
  const sorted = lists.flat().sort((a, b) => {
    if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
    return (a.due ?? "9999-12-31").localeCompare(b.due ?? "9999-12-31");
  });
  const seen = new Set<string>();
  return sorted.filter((t) => {
    const key = `${t.kind}\n${t.href}\n${t.title}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
