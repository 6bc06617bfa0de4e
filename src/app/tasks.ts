/**
 * "My tasks": what a person has to do, gathered from every feature (approvals waiting, rotations
 * due, acknowledgements…), overdue first, then by due date.
 */
import type { AppContext, StaffActor } from "./context.ts";
import type { Task } from "./feature.ts";
import { features } from "./features.ts";

export type { Task } from "./feature.ts";

/** Every task of a person, overdue first, then by due date. */
export async function myTasks(ctx: AppContext, actor: StaffActor): Promise<Task[]> {
  const lists = await Promise.all(
    features().map((f) => (f.tasks ? f.tasks(ctx, actor) : Promise.resolve([]))),
  );
  return lists.flat().sort((a, b) => {
    if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
    return (a.due ?? "9999-12-31").localeCompare(b.due ?? "9999-12-31");
  });
}
