/**
 * The consultations feature's plug-in points (see app/feature.ts): "my tasks" shows the
 * consultation desk every open question (10), and the person who asked an answer waiting for
 * them to read and close; demo consultations.
 */
import { answeredFor, openConsultations } from "../../db/repos/consultations.ts";
import { allowed } from "../authorize.ts";
import type { AppContext, StaffActor } from "../context.ts";
import type { Feature, Task } from "../feature.ts";
import { demoConsultations } from "./demo.ts";

async function consultationTasks(ctx: AppContext, actor: StaffActor): Promise<Task[]> {
  const desk = allowed(actor, "consultation.answer");
  const [open, answered] = await Promise.all([
    desk ? openConsultations(ctx.db) : Promise.resolve([]),
    answeredFor(ctx.db, actor.staffId),
  ]);
  return [
    ...open.map((c) => ({
      kind: "consultation_answer",
      title: `協議への回答: ${c.title}`,
      href: `/consultations/${c.id}`,
      due: null,
      overdue: false,
      clause: "10",
    })),
    ...answered.map((c) => ({
      kind: "consultation_answered",
      title: `協議に回答がありました。内容を確認し、解決したら「解決済みにする」を押してください: ${c.title}`,
      href: `/consultations/${c.id}`,
      due: null,
      overdue: false,
      clause: "10",
    })),
  ];
}

export const consultationsFeature: Feature = {
  name: "consultations",
  tasks: consultationTasks,
  demo: demoConsultations,
};
