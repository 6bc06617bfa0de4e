/**
 * Staff pages of the ソーシャルメディア等活用連絡協議会 (6): /council (the roster derived from the
 * departments that hold or apply for accounts, with flags and the form to name a member; the
 * meetings), /council/meetings/new and /council/meetings/:id (date, agenda, minutes,
 * attachments), /council/rules (the rules, every version readable with what changed).
 */
import { Hono } from "hono";
import {
  attachToMeeting,
  createMeeting,
  downloadAttachment,
  getMeeting,
  listMeetings,
  mayRecordMeetings,
  removeAttachment,
  updateMeeting,
} from "../../app/council/meetings.ts";
import {
  councilRoster,
  designateMember,
  designationChoices,
  removeMember,
} from "../../app/council/roster.ts";
import { adoptRules, getRulesVersion, listRulesVersions } from "../../app/council/rules.ts";
import { attachmentExtensions, contentDisposition, MAX_ATTACHMENT_BYTES } from "../../domain/attachments.ts";
import { flaggedSeats, type SeatState, seatSourceLabels, seatStateLabels } from "../../domain/council.ts";
import { formatDate, tokyoDate } from "../../domain/dates.ts";
import { can } from "../../domain/policy.ts";
import type { AppEnv, HttpContext } from "../env.ts";
import { actorOf, csrfOf, done, formBody, intParam, render, submit } from "../render.tsx";
import {
  Badge,
  Csrf,
  ErrorSummary,
  emptyForm,
  type FormState,
  SelectField,
  TextArea,
  TextField,
} from "../views/components.tsx";
import { DateText, DateTime } from "../views/dates.tsx";
import { DiffLegend, DiffRuns } from "../views/guideline-views.tsx";
import { Lines } from "../views/policy-view.tsx";

type Status = 200 | 409 | 422;

const seatTones: Record<SeatState, "ok" | "warn" | "error" | "muted"> = {
  ok: "ok",
  missing: "error",
  stale: "error",
  extra: "muted",
};

const Breadcrumb = () => (
  <p class="breadcrumb">
    <a href="/council">協議会</a>
  </p>
);

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)}MB`;
  return `${Math.max(1, Math.round(bytes / 1024))}KB`;
}

async function councilPage(
  c: HttpContext,
  forms: { designate?: { divisionId: number; state: FormState } } = {},
  status: Status = 200,
) {
  const actor = actorOf(c);
  const ctx = c.var.app;
  const [roster, meetings, recorder] = await Promise.all([
    councilRoster(ctx, { actor }),
    listMeetings(ctx, { actor }),
    mayRecordMeetings(ctx, actor),
  ]);
  const choices = await designationChoices(ctx, {
    actor,
    seats: roster.filter((r) => r.canDesignate),
  });
  const flagged = flaggedSeats(roster);
  const csrf = csrfOf(c);
  return render(
    c,
    "ソーシャルメディア等活用連絡協議会",
    <>
      <h1>ソーシャルメディア等活用連絡協議会</h1>
      <p>
        本市の情報発信に関してソーシャルメディアの有効かつ適正な活用を図るため、協議会を置きます（第6-1）。メンバーには、公式アカウントを取得し、または取得しようとする部署の担当者を充てます（第6-2）。このシステムでは、アカウントを持つ（または申請中の）課等ごとに、その課等の長（アカウント管理者）か、課等の長・部長が指名した担当者が出席します。規約は別に定めます（第6-3）。
      </p>
      <p>
        <a href="/council/rules">協議会の規約を見る</a>
      </p>
      {flagged.length > 0 ? (
        <div class="notice notice-warning" role="status">
          <p>
            出席者のいない課等があります:{" "}
            {flagged.map((r) => `${r.departmentName} ${r.divisionName}`).join("、")}
            。課等の長（アカウント管理者）、部等の長（情報管理者）またはシステム管理者が担当者を指名してください（第6-2）。
          </p>
        </div>
      ) : null}
      <section aria-labelledby="roster-title">
        <h2 id="roster-title">メンバー（課等ごと）</h2>
        <div class="table-wrap">
          <table>
            <caption>アカウントを取得している・取得しようとしている課等と、その出席者</caption>
            <thead>
              <tr>
                <th scope="col">課等</th>
                <th scope="col" class="num">
                  アカウント
                </th>
                <th scope="col">出席者</th>
                <th scope="col">状態</th>
                <th scope="col">指名</th>
              </tr>
            </thead>
            <tbody>
              {roster.map((row) => {
                const options = choices.get(row.divisionId);
                const state =
                  forms.designate?.divisionId === row.divisionId ? forms.designate.state : emptyForm();
                const label = `${row.departmentName} ${row.divisionName}`;
                return (
                  <tr>
                    <th scope="row">{label}</th>
                    <td class="num">{row.accounts}</td>
                    <td>
                      {row.seated ? (
                        <>
                          <a href={`/staff/${row.seated.staffId}`}>{row.seated.name}</a>
                          <span class="hint">
                            {" "}
                            {row.seated.positionName}・{row.source ? seatSourceLabels[row.source] : ""}
                            {row.source === "designated" && row.member
                              ? `（${formatDate(tokyoDate(row.member.designatedAt))}指名）`
                              : ""}
                          </span>
                        </>
                      ) : row.member ? (
                        <span>
                          {row.member.name}
                          <span class="hint">（指名後に異動・退職）</span>
                        </span>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>
                      <Badge tone={seatTones[row.state]}>{seatStateLabels[row.state]}</Badge>
                    </td>
                    <td>
                      {options ? (
                        <>
                          <ErrorSummary state={state} />
                          <form
                            method="post"
                            action={`/council/members/${row.divisionId}`}
                            class="stack"
                            aria-label={`${label}の出席者を指名`}
                          >
                            <Csrf token={csrf} />
                            <SelectField
                              name={`staffId-${row.divisionId}`}
                              label={`${label}の担当者`}
                              options={options.map((o) => ({ value: String(o.id), label: o.label }))}
                              value={row.member ? String(row.member.staffId) : ""}
                              blank="選択してください"
                              state={state}
                            />
                            <button type="submit">指名する</button>
                          </form>
                          {row.member ? (
                            <form method="post" action={`/council/members/${row.divisionId}/remove`}>
                              <Csrf token={csrf} />
                              <button type="submit" class="link">
                                指名を取り消す<span class="visually-hidden">（{label}）</span>
                              </button>
                            </form>
                          ) : null}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {roster.length === 0 ? <p>アカウントを取得している課等はまだありません。</p> : null}
      </section>

      <section aria-labelledby="meetings-title">
        <h2 id="meetings-title">会議</h2>
        {recorder ? (
          <p>
            <a class="button" href="/council/meetings/new">
              会議を記録する
            </a>
          </p>
        ) : null}
        {meetings.length === 0 ? (
          <p>記録された会議はありません。</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>会議の記録（新しい順）</caption>
              <thead>
                <tr>
                  <th scope="col">開催日</th>
                  <th scope="col">会議</th>
                  <th scope="col">議事録</th>
                  <th scope="col" class="num">
                    添付
                  </th>
                </tr>
              </thead>
              <tbody>
                {meetings.map((m) => (
                  <tr>
                    <td>
                      <DateText date={m.heldOn} />
                    </td>
                    <td>
                      <a href={`/council/meetings/${m.id}`}>{m.title}</a>
                    </td>
                    <td>
                      {m.minutes ? <Badge tone="ok">記録あり</Badge> : <Badge tone="warn">未記録</Badge>}
                    </td>
                    <td class="num">{m.attachments}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>,
    status,
  );
}

const MeetingFields = (props: { state: FormState }) => (
  <>
    <TextField name="heldOn" label="開催日" type="date" state={props.state} required />
    <TextField
      name="title"
      label="会議の名称"
      state={props.state}
      hint="例: 第1回 ソーシャルメディア等活用連絡協議会"
      required
    />
    <TextArea name="agenda" label="議題" state={props.state} rows={4} />
    <TextArea
      name="minutes"
      label="議事録"
      state={props.state}
      rows={10}
      hint="後から記録することもできます。"
    />
  </>
);

async function newMeetingPage(c: HttpContext, state?: FormState, status: Status = 200) {
  const today = tokyoDate(c.var.app.clock.now());
  const form = state ?? emptyForm({ heldOn: today });
  return render(
    c,
    "会議を記録する",
    <>
      <Breadcrumb />
      <h1>会議を記録する</h1>
      <ErrorSummary state={form} />
      <form method="post" action="/council/meetings" class="stack" novalidate>
        <Csrf token={csrfOf(c)} />
        <MeetingFields state={form} />
        <div class="actions">
          <button type="submit">記録する</button>
          <a href="/council">キャンセル</a>
        </div>
      </form>
    </>,
    status,
  );
}

async function meetingPage(
  c: HttpContext,
  id: number,
  forms: { edit?: FormState; upload?: FormState } = {},
  status: Status = 200,
) {
  const actor = actorOf(c);
  const ctx = c.var.app;
  const [{ meeting, attachments }, recorder] = await Promise.all([
    getMeeting(ctx, { actor, id }),
    mayRecordMeetings(ctx, actor),
  ]);
  const csrf = csrfOf(c);
  const edit =
    forms.edit ??
    emptyForm({
      heldOn: meeting.heldOn,
      title: meeting.title,
      agenda: meeting.agenda,
      minutes: meeting.minutes,
    });
  return render(
    c,
    meeting.title,
    <>
      <Breadcrumb />
      <h1>{meeting.title}</h1>
      <dl class="facts">
        <dt>開催日</dt>
        <dd>
          <DateText date={meeting.heldOn} />
        </dd>
        <dt>最終更新</dt>
        <dd>
          <DateTime at={meeting.updatedAt} />
        </dd>
      </dl>
      <section aria-labelledby="agenda-title">
        <h2 id="agenda-title">議題</h2>
        <p>{meeting.agenda ? <Lines text={meeting.agenda} /> : "（記載なし）"}</p>
      </section>
      <section aria-labelledby="minutes-title">
        <h2 id="minutes-title">議事録</h2>
        <p>{meeting.minutes ? <Lines text={meeting.minutes} /> : "（まだ記録されていません）"}</p>
      </section>
      <section aria-labelledby="files-title">
        <h2 id="files-title">添付ファイル</h2>
        {attachments.length === 0 ? (
          <p>添付ファイルはありません。</p>
        ) : (
          <ul>
            {attachments.map((a) => (
              <li>
                <a href={`/council/meetings/${meeting.id}/attachments/${a.id}`}>{a.filename}</a>（
                {sizeText(a.size)}、{a.uploadedByName ?? "—"}）
                {recorder ? (
                  <form
                    method="post"
                    action={`/council/meetings/${meeting.id}/attachments/${a.id}/delete`}
                    class="actions"
                  >
                    <Csrf token={csrf} />
                    <button type="submit" class="link">
                      削除<span class="visually-hidden">（{a.filename}）</span>
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {recorder ? (
          <>
            <h3 id="upload-title">ファイルを添付する</h3>
            <ErrorSummary state={forms.upload} />
            <form
              method="post"
              action={`/council/meetings/${meeting.id}/attachments`}
              enctype="multipart/form-data"
              class="stack"
              aria-labelledby="upload-title"
              novalidate
            >
              <Csrf token={csrf} />
              <div class="field">
                <label for="f-file">
                  ファイル<span class="required">必須</span>
                </label>
                <span class="hint" id="f-file-hint">
                  PDF、Word・Excel・PowerPoint、画像（PNG・JPEG・GIF・WebP）、
                  {MAX_ATTACHMENT_BYTES / 1024 / 1024}MB以下。
                </span>
                {forms.upload?.issues[0] ? (
                  <span class="error" id="f-file-error">
                    <span class="visually-hidden">エラー: </span>
                    {forms.upload.issues[0].message}
                  </span>
                ) : null}
                <input
                  type="file"
                  id="f-file"
                  name="file"
                  accept={attachmentExtensions.map((e) => `.${e}`).join(",")}
                  required
                  aria-invalid={forms.upload?.issues[0] ? "true" : undefined}
                  aria-describedby={forms.upload?.issues[0] ? "f-file-hint f-file-error" : "f-file-hint"}
                />
              </div>
              <div class="actions">
                <button type="submit">添付する</button>
              </div>
            </form>
          </>
        ) : null}
      </section>
      {recorder ? (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">議題・議事録を記録する</h2>
          <ErrorSummary state={forms.edit} />
          <form method="post" action={`/council/meetings/${meeting.id}`} class="stack" novalidate>
            <Csrf token={csrf} />
            <MeetingFields state={edit} />
            <div class="actions">
              <button type="submit">保存する</button>
            </div>
          </form>
        </section>
      ) : null}
    </>,
    status,
  );
}

async function rulesPage(c: HttpContext, version: number | null, state?: FormState, status: Status = 200) {
  const actor = actorOf(c);
  const ctx = c.var.app;
  const versions = await listRulesVersions(ctx, { actor });
  const shown = version ?? versions[0]?.version ?? null;
  const detail = shown === null ? null : await getRulesVersion(ctx, { actor, version: shown });
  const editor = can(actor, "council.rules_edit");
  const latest = versions[0];
  const form =
    state ??
    emptyForm({ text: latest?.text ?? "", adoptedOn: tokyoDate(ctx.clock.now()), changeSummary: "" });
  const title = detail ? `協議会の規約（第${detail.rules.version}版）` : "協議会の規約";
  return render(
    c,
    title,
    <>
      <Breadcrumb />
      <h1>{title}</h1>
      <p>協議会の規約等は、ガイドラインとは別に定めます（第6-3）。過去の版もすべて読むことができます。</p>
      {detail ? (
        <>
          <dl class="facts">
            <dt>制定・改正日</dt>
            <dd>
              <DateText date={detail.rules.adoptedOn} />
            </dd>
            <dt>改正の概要</dt>
            <dd>{detail.rules.changeSummary || "—"}</dd>
            <dt>登録</dt>
            <dd>{detail.rules.createdByName ?? "—"}</dd>
          </dl>
          {version !== null && version !== latest?.version ? (
            <div class="notice notice-info">
              <p>
                これは過去の版です。<a href="/council/rules">現行の版を見る</a>
              </p>
            </div>
          ) : null}
          <section aria-labelledby="text-title">
            <h2 id="text-title">本文</h2>
            <p>
              <Lines text={detail.rules.text} />
            </p>
          </section>
          {detail.previous !== null ? (
            <section aria-labelledby="diff-title">
              <h2 id="diff-title">第{detail.previous}版からの変更点</h2>
              <DiffLegend />
              <p>
                <DiffRuns segments={detail.segments} />
              </p>
            </section>
          ) : null}
        </>
      ) : (
        <p>規約はまだ登録されていません。</p>
      )}
      {versions.length > 0 ? (
        <section aria-labelledby="versions-title">
          <h2 id="versions-title">版の一覧</h2>
          <ul>
            {versions.map((v) => (
              <li>
                <a
                  href={`/council/rules/${v.version}`}
                  aria-current={v.version === shown ? "page" : undefined}
                >
                  第{v.version}版
                </a>
                （<DateText date={v.adoptedOn} />）{v.changeSummary ? `: ${v.changeSummary}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {editor ? (
        <section aria-labelledby="adopt-title">
          <h2 id="adopt-title">新しい版を登録する（総合政策部長）</h2>
          <ErrorSummary state={state} />
          <form method="post" action="/council/rules" class="stack" novalidate>
            <Csrf token={csrfOf(c)} />
            <TextArea name="text" label="規約の本文" state={form} rows={16} required />
            <TextField name="adoptedOn" label="制定・改正日" type="date" state={form} required />
            <TextArea name="changeSummary" label="改正の概要" state={form} rows={3} />
            <div class="actions">
              <button type="submit">新しい版として登録する</button>
            </div>
          </form>
        </section>
      ) : null}
    </>,
    status,
  );
}

export function councilRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/council", (c) => councilPage(c));

  r.post("/council/members/:divisionId", async (c) => {
    const divisionId = intParam(c.req.param("divisionId"));
    const values = await formBody(c);
    const input = { staffId: values[`staffId-${divisionId}`] };
    const result = await submit(values, () =>
      designateMember(c.var.app, { actor: actorOf(c), divisionId, input }),
    );
    if (!result.ok) {
      const state = {
        ...result.state,
        issues: result.state.issues.map((i) =>
          i.field === "staffId" ? { ...i, field: `staffId-${divisionId}` } : i,
        ),
      };
      return councilPage(c, { designate: { divisionId, state } }, result.status);
    }
    return done(c, "/council", `${result.result.name}さんを協議会に出席する担当者に指名しました。`);
  });

  r.post("/council/members/:divisionId/remove", async (c) => {
    await removeMember(c.var.app, { actor: actorOf(c), divisionId: intParam(c.req.param("divisionId")) });
    return done(c, "/council", "指名を取り消しました。課等の長が出席者になります。");
  });

  r.get("/council/meetings/new", async (c) => {
    if (!(await mayRecordMeetings(c.var.app, actorOf(c)))) {
      return render(
        c,
        "権限がありません",
        <>
          <h1>権限がありません</h1>
          <p>会議を記録できるのは、総合政策部長と協議会のメンバーです。</p>
        </>,
        403,
      );
    }
    return newMeetingPage(c);
  });

  r.post("/council/meetings", async (c) => {
    const values = await formBody(c);
    const result = await submit(values, () => createMeeting(c.var.app, { actor: actorOf(c), input: values }));
    if (!result.ok) return newMeetingPage(c, result.state, result.status);
    return done(c, `/council/meetings/${result.result.id}`, "会議を記録しました。");
  });

  r.get("/council/meetings/:id", (c) => meetingPage(c, intParam(c.req.param("id"))));

  r.post("/council/meetings/:id", async (c) => {
    const id = intParam(c.req.param("id"));
    const values = await formBody(c);
    const result = await submit(values, () =>
      updateMeeting(c.var.app, { actor: actorOf(c), id, input: values }),
    );
    if (!result.ok) return meetingPage(c, id, { edit: result.state }, result.status);
    return done(c, `/council/meetings/${id}`, "議題・議事録を保存しました。");
  });

  r.post("/council/meetings/:id/attachments", async (c) => {
    const id = intParam(c.req.param("id"));
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) {
      return meetingPage(
        c,
        id,
        {
          upload: {
            values: {},
            issues: [{ field: "file", message: "添付するファイルを選択してください。" }],
          },
        },
        422,
      );
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = await submit({}, () =>
      attachToMeeting(c.var.app, { actor: actorOf(c), meetingId: id, filename: file.name, bytes }),
    );
    if (!result.ok) return meetingPage(c, id, { upload: result.state }, result.status);
    return done(c, `/council/meetings/${id}`, `「${result.result.filename}」を添付しました。`);
  });

  r.get("/council/meetings/:id/attachments/:attachmentId", async (c) => {
    const file = await downloadAttachment(c.var.app, {
      actor: actorOf(c),
      meetingId: intParam(c.req.param("id")),
      attachmentId: intParam(c.req.param("attachmentId")),
    });
    return c.body(Buffer.from(file.bytes), 200, {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.filename),
      "X-Content-Type-Options": "nosniff",
    });
  });

  r.post("/council/meetings/:id/attachments/:attachmentId/delete", async (c) => {
    const id = intParam(c.req.param("id"));
    await removeAttachment(c.var.app, {
      actor: actorOf(c),
      meetingId: id,
      attachmentId: intParam(c.req.param("attachmentId")),
    });
    return done(c, `/council/meetings/${id}`, "添付ファイルを削除しました。");
  });

  r.get("/council/rules", (c) => rulesPage(c, null));
  r.get("/council/rules/:version", (c) => rulesPage(c, intParam(c.req.param("version"))));

  r.post("/council/rules", async (c) => {
    const values = await formBody(c);
    const result = await submit(values, () => adoptRules(c.var.app, { actor: actorOf(c), input: values }));
    if (!result.ok) return rulesPage(c, null, result.state, result.status);
    return done(c, "/council/rules", `規約の第${result.result.version}版を登録しました。`);
  });

  return r;
}
