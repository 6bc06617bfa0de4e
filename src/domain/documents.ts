/**
 * The city's documents behind the workflow: an application (起案), a 届出 and a change/closure
 * request are filed in the city's document-management system (文書管理システム), which gives
 * each a 文書番号 and, once decided, a 決裁日. Staff copy both into snsgov; a correction is a new
 * version with its reason. Pure: subjects, names and the rules of a new version.
 */

export const documentSubjects = ["application", "filing", "notice"] as const;
export type DocumentSubject = (typeof documentSubjects)[number];

export function isDocumentSubject(value: string): value is DocumentSubject {
  return (documentSubjects as readonly string[]).includes(value);
}

export const documentSubjectLabels: Record<DocumentSubject, string> = {
  application: "取得の起案",
  filing: "届出",
  notice: "変更・廃止の申請",
};

/** Why a new version cannot be recorded (Japanese, with its field), or null when it can. */
export function documentVersionProblem(props: {
  /** Versions recorded so far. */
  existing: number;
  documentNumber: string;
  decidedOn: string | null;
  reason: string;
  /** The current version, to refuse a "correction" that changes nothing. */
  current: { documentNumber: string; decidedOn: string | null } | null;
  today: string;
}): { field: string; message: string } | null {
  if (props.decidedOn && props.decidedOn > props.today)
    return { field: "decidedOn", message: "決裁日に未来の日付は入力できません。" };
  if (props.existing > 0 && !props.reason.trim())
    return {
      field: "reason",
      message: "記録済みの文書番号・決裁日を訂正するときは、訂正の理由を入力してください。",
    };
  const c = props.current;
  if (c && c.documentNumber === props.documentNumber && c.decidedOn === props.decidedOn)
    return { field: "documentNumber", message: "記録済みの内容と同じです。訂正する内容を入力してください。" };
  return null;
}
