import assert from "node:assert/strict";
import { test } from "node:test";
import {
  announcementDateProblem,
  cancelProblem,
  changeText,
  effectiveDetails,
  isPublicOn,
  nextNoticeStatus,
  noticeChecklist,
  noticeDisplayUntil,
  noticeStatuses,
  noticeSteps,
  requestDateProblem,
  snsLateProblem,
  snsScheduleProblem,
} from "./notices.ts";

test("a notice moves requested → notified → scheduled → announced → effective, and nothing skips a step", () => {
  const allowed = new Map<string, string>([
    ["requested/notify", "notified"],
    ["notified/schedule", "scheduled"],
    ["scheduled/schedule", "scheduled"],
    ["scheduled/announce", "announced"],
    ["announced/take_effect", "effective"],
    ["requested/cancel", "cancelled"],
    ["notified/cancel", "cancelled"],
    ["scheduled/cancel", "cancelled"],
    ["announced/cancel", "cancelled"],
  ]);
  for (const status of noticeStatuses) {
    for (const step of noticeSteps) {
      assert.equal(
        nextNoticeStatus(status, step),
        allowed.get(`${status}/${step}`) ?? null,
        `${status} + ${step}`,
      );
    }
  }
});

test("the refusal names the latest announcement date and the earliest effective date (4.5.2)", () => {
  const message = announcementDateProblem({
    kind: "change",
    announcementDate: "2026-02-01",
    effectiveDate: "2026-03-01",
    today: "2026-01-15",
    months: 1,
  });
  assert.equal(
    message,
    "変更日を令和8年（2026年）3月1日（日）にする場合、周知は令和8年（2026年）1月31日（土）までに始めてください。2月1日に周知する場合、変更日は3月2日以降にしてください（第4-5(2) 一月以上前に周知）。",
  );
  assert.equal(
    announcementDateProblem({
      kind: "change",
      announcementDate: "2026-01-31",
      effectiveDate: "2026-03-01",
      today: "2026-01-15",
      months: 1,
    }),
    null,
  );
  const closure = announcementDateProblem({
    kind: "closure",
    announcementDate: "2026-01-15",
    effectiveDate: "2026-02-15",
    today: "2026-01-15",
    months: 1,
  });
  assert.match(
    closure ?? "",
    /廃止日を令和8年（2026年）2月15日（日）.*周知は令和8年（2026年）1月14日（水）までに始める必要があり、今からでは間に合いません/,
  );
  assert.match(closure ?? "", /1月15日に周知する場合、廃止日は2月16日以降にしてください/);
});

test("an announcement date in the past is refused", () => {
  assert.match(
    announcementDateProblem({
      kind: "change",
      announcementDate: "2026-01-14",
      effectiveDate: "2026-04-01",
      today: "2026-01-15",
      months: 1,
    }) ?? "",
    /周知日は今日（令和8年（2026年）1月15日（木））以降/,
  );
});

test("a request whose effective date cannot get a month's notice even if announced today is refused", () => {
  assert.match(
    requestDateProblem({ kind: "change", effectiveDate: "2026-02-15", today: "2026-01-15", months: 1 }) ?? "",
    /変更日は、今日（令和8年（2026年）1月15日（木））周知を始めても令和8年（2026年）2月16日（月）以降になります/,
  );
  assert.equal(
    requestDateProblem({ kind: "change", effectiveDate: "2026-02-16", today: "2026-01-15", months: 1 }),
    null,
  );
});

test("display windows: a year after a change, half a year after a closure; public from the announcement date", () => {
  const deadlines = { changeDisplayMonths: 12, closureDisplayMonths: 6 };
  assert.equal(noticeDisplayUntil("change", "2026-03-01", deadlines), "2027-03-01");
  assert.equal(noticeDisplayUntil("closure", "2026-03-01", deadlines), "2026-09-01");
  const n = { status: "announced" as const, announcementDate: "2026-01-31", displayUntil: "2026-09-01" };
  assert.equal(isPublicOn(n, "2026-01-30"), false);
  assert.equal(isPublicOn(n, "2026-01-31"), true);
  assert.equal(isPublicOn({ ...n, status: "effective" }, "2026-09-01"), true);
  assert.equal(isPublicOn({ ...n, status: "effective" }, "2026-09-02"), false);
  assert.equal(isPublicOn({ ...n, status: "scheduled" }, "2026-02-01"), false);
  assert.equal(isPublicOn({ ...n, status: "cancelled" }, "2026-02-01"), false);
});

test("cancelling is possible until the day before the effective date", () => {
  const n = { kind: "closure" as const, status: "announced" as const, effectiveDate: "2026-03-01" };
  assert.equal(cancelProblem(n, "2026-02-28"), null);
  assert.equal(cancelProblem(n, "2026-03-01"), "廃止日を迎えた届出は取り消せません。");
  assert.equal(
    cancelProblem({ ...n, status: "cancelled" }, "2026-02-01"),
    "この届出はすでに取り消されています。",
  );
});

test("only what differs is a change, and the announcement says what changes", () => {
  const account = {
    name: "いわき市広報",
    alias: "",
    handle: "iwaki_pr",
    platform: "x" as const,
    url: "https://x.com/iwaki_pr",
  };
  assert.deepEqual(effectiveDetails(account, { name: "いわき市広報", handle: "iwaki_new" }), {
    handle: "iwaki_new",
  });
  assert.equal(
    changeText({ name: "いわき市広報広聴課", url: "https://x.com/iwaki_new" }, (p) => p),
    "アカウント名を「いわき市広報広聴課」、URLを https://x.com/iwaki_new に変更します",
  );
  assert.equal(
    changeText({ platform: "instagram", url: "https://www.instagram.com/iwaki/" }, () => "Instagram"),
    "Instagramに移行します（移行先: https://www.instagram.com/iwaki/ ）",
  );
});

test("the checklist shows what is done, what is to do and what happens by itself", () => {
  const base = {
    kind: "change" as const,
    effectiveDate: "2026-03-01",
    announcementDate: null,
    displayUntil: null,
    requestedOn: "2026-01-15",
    requestedByName: "広報 課長",
    policyFiling: null,
    legacyPolicyNotifiedOn: null,
    announcedOn: null,
    effectiveOn: null,
    securityFiling: null,
    securityTask: null,
    sns: { postId: null, scheduledOn: null, publishedOn: null },
    keep: null,
    today: "2026-01-15",
    months: 1,
  };
  const sent = (on: string) => ({
    status: "sent" as const,
    round: 1,
    sentOn: on,
    sentByName: "広報 課長",
    confirmedOn: null,
    confirmedByName: null,
    question: "",
  });
  const confirmed = (on: string) => ({
    ...sent(on),
    status: "confirmed" as const,
    confirmedOn: on,
    confirmedByName: "総合政策部長",
  });
  const states = (input: Parameters<typeof noticeChecklist>[0]) => noticeChecklist(input).map((i) => i.state);
  assert.deepEqual(states({ ...base, status: "requested" }), [
    "done",
    "todo",
    "waiting",
    "waiting",
    "waiting",
    "waiting",
    "waiting",
    "waiting",
  ]);
  assert.deepEqual(
    states({ ...base, status: "requested", policyFiling: sent("2026-01-16") }),
    ["done", "waiting", "waiting", "waiting", "waiting", "waiting", "waiting", "waiting"],
    "sent is not done: the policy director has to confirm it",
  );
  assert.deepEqual(
    states({
      ...base,
      status: "scheduled",
      announcementDate: "2026-01-31",
      policyFiling: confirmed("2026-01-16"),
    }),
    ["done", "done", "done", "auto", "todo", "waiting", "waiting", "waiting"],
  );
  assert.deepEqual(
    states({
      ...base,
      status: "announced",
      announcementDate: "2026-01-31",
      policyFiling: confirmed("2026-01-16"),
      announcedOn: "2026-01-31",
      sns: { postId: 3, scheduledOn: "2026-01-31", publishedOn: "2026-01-31" },
      securityTask: { status: "open", notifiedOn: null, method: "", doneByName: null },
      today: "2026-01-31",
    }),
    ["done", "done", "done", "done", "done", "todo", "auto", "waiting"],
  );
  assert.deepEqual(
    states({
      ...base,
      status: "announced",
      announcementDate: "2026-01-31",
      policyFiling: confirmed("2026-01-16"),
      announcedOn: "2026-01-31",
      sns: { postId: 3, scheduledOn: null, publishedOn: "2026-02-02" },
      securityFiling: sent("2026-02-01"),
      today: "2026-02-02",
    }),
    ["done", "done", "done", "done", "late", "waiting", "auto", "waiting"],
    "an announcement post published after 31 January is too late for 1 March (4.5.2)",
  );
  assert.equal(
    states({
      ...base,
      status: "scheduled",
      announcementDate: "2026-01-31",
      policyFiling: confirmed("2026-01-16"),
      sns: { postId: 3, scheduledOn: "2026-02-01", publishedOn: null },
    })[4],
    "late",
    "an announcement post scheduled after 31 January is flagged before it goes out",
  );
  assert.deepEqual(states({ ...base, status: "cancelled" }), [
    "done",
    "skipped",
    "skipped",
    "skipped",
    "skipped",
    "skipped",
    "skipped",
    "skipped",
  ]);
  const labels = noticeChecklist({ ...base, status: "requested" }).map((i) => i.label);
  assert.deepEqual(labels, [
    "申請",
    "総合政策部長へ届出",
    "周知日の設定",
    "ホームページでの周知（自動）",
    "アカウントでの周知",
    "情報統括管理者へ届出",
    "変更日（自動）",
    "変更後の掲載（ホームページ・アカウント）",
  ]);
});

test("the announcement post must go out by the latest announcement date, counted as the Civil Code counts", () => {
  assert.equal(
    snsLateProblem({ kind: "change", effectiveDate: "2026-03-01", publishedOn: "2026-01-31", months: 1 }),
    null,
  );
  assert.match(
    snsLateProblem({ kind: "change", effectiveDate: "2026-03-01", publishedOn: "2026-02-01", months: 1 }) ??
      "",
    /令和8年（2026年）2月1日（日）になり、変更日（令和8年（2026年）3月1日（日））の一月以上前（令和8年（2026年）1月31日（土）まで）に間に合っていません/,
  );
  assert.equal(
    snsScheduleProblem({
      kind: "closure",
      effectiveDate: "2026-02-16",
      scheduledOn: "2026-01-15",
      months: 1,
    }),
    null,
  );
  assert.match(
    snsScheduleProblem({
      kind: "closure",
      effectiveDate: "2026-02-16",
      scheduledOn: "2026-01-16",
      months: 1,
    }) ?? "",
    /令和8年（2026年）1月15日（木）までに発信するよう予約してください/,
  );
});
