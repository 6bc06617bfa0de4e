/** Secrets and unpublished information (secrets.ts, 5.2.2) and the city's security (security.ts, 5.2.4). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkerForTests, flagged, NOW } from "../testing.ts";

const check = await checkerForTests();

test("confidentiality markers are 5.2.2.1 errors", () => {
  const cases1: [string, string][] = [
    ["【内部資料】来年度の組織改編案をお知らせします。", "【内部資料】"],
    ["【取扱注意】議会対応資料を共有します。", "【取扱注意】"],
    ["【秘】会議資料", "【秘】"],
    ["㊙資料をお送りします。", "㊙"],
    ["この資料は部外秘です。", "部外秘"],
    ["関係者限りの情報ですが、", "関係者限り"],
  ];
  for (const [text, span] of cases1) {
    const f = check(text).find((x) => x.rule === "secret.confidential-marker");
    assert.equal(f?.span, span, text);
    assert.equal(f?.clause, "5.2.2.1");
    assert.equal(f?.severity, "error");
  }
  assert.deepEqual(flagged(check("花火の取扱注意事項をよく読んでください。")), []);
  assert.deepEqual(flagged(check("「秘密基地をつくろう」ワークショップを開催します。")), []);
});

test("unpublished markers and bracketed drafts are 5.2.2.2 errors; 案内/提案/法案 are not", () => {
  const p010 = check("まだ公表前ですが、来年度から市内の小学校3校が統合される方向で調整中です。");
  assert.equal(p010.find((f) => f.clause === "5.2.2.2")?.span, "まだ公表前");
  const draft = check("令和8年度の予算編成方針（案）を内部で検討しています。");
  assert.ok(draft.some((f) => f.rule === "unpublished.draft" && f.span === "（案）"));
  assert.ok(draft.some((f) => f.rule === "unpublished.internal" && f.span === "内部で検討"));
  assert.ok(check("【案】新しい料金体系").some((f) => f.rule === "unpublished.draft"));
  assert.ok(
    check("検討中の計画を共有します。").some(
      (f) => f.rule === "unpublished.pending" && f.span === "検討中の計画",
    ),
  );
  for (const text of [
    "案内所は駅前にあります。新しい提案を募集します。法案が成立しました。",
    "本日、令和8年度当初予算案を市議会に提出しました。",
    "いわき市総合計画（案）に対するパブリックコメントを実施します。",
    "組織改編案の概要は市ホームページで公表しています。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("an embargo in the future is an error over the whole post; a past one is not", () => {
  const text = "新しい子育て支援策を発表します。";
  const future = check(text, { embargoUntil: new Date(NOW.getTime() + 3_600_000).toISOString() });
  const f = future.find((x) => x.rule === "unpublished.embargo");
  assert.equal(f?.span, text);
  assert.equal(f?.severity, "error");
  assert.equal(check(text, { embargoUntil: "2025-11-19T09:00:00+09:00" }).length, 0);
});

test("「ここだけの話」 is a warning about leaking what staff learned at work", () => {
  const f = check("ここだけの話ですが、来月に発表があります。").find(
    (x) => x.rule === "secret.off-the-record",
  );
  assert.equal(f?.severity, "warning");
});

test("passwords, PINs and door codes with their value are 5.2.4 errors", () => {
  const cases1: [string, string][] = [
    ["夜間窓口をご利用の際は、通用口の暗証番号4821を入力してお入りください。", "暗証番号4821"],
    ["サーバー室の入館パスワードは iwaki2026! です。", "パスワードは iwaki2026!"],
    ["職員用PCのPW: Iwaki#2025", "PW: Iwaki#2025"],
    ["入館コードは「7392」です。", "入館コードは「7392"],
  ];
  for (const [text, span] of cases1) {
    const f = check(text).find((x) => x.rule === "security.secret-value");
    assert.equal(f?.span, span, text);
    assert.equal(f?.severity, "error");
  }
});

test("telling citizens how to reset their own password is fine", () => {
  for (const text of [
    "パスワードを忘れた方は、ログイン画面の「パスワードを再設定」から手続きしてください。",
    "パスワードは8文字以上で設定してください。",
    "マイナンバーカードの暗証番号の再設定は市民課窓口で受け付けています。",
    "暗証番号は4桁の数字です。生年月日など推測されやすい番号は避けましょう。",
    "パスワードは12345678のような推測されやすいものを避けてください。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("a public Wi-Fi password is a warning to confirm, not an error", () => {
  const f = check("館内Wi-Fiのパスワードは iwaki-free です。").find(
    (x) => x.rule === "security.secret-value",
  );
  assert.equal(f?.severity, "warning");
});

test("key storage places, server rooms and camera blind spots are errors", () => {
  assert.ok(
    check("会議室の鍵は、総務課カウンター裏の白いキーボックスに保管しています。").some(
      (f) => f.rule === "security.key-storage",
    ),
  );
  assert.ok(check("本庁舎の地下1階にサーバー室があります。").some((f) => f.rule === "security.server-room"));
  assert.ok(
    check("駐車場の奥は防犯カメラの死角になっています。").some(
      (f) => f.rule === "security.camera-blind-spot",
    ),
  );
  for (const text of [
    "会議室の鍵は受付でお受け取りください。",
    "自転車には必ず鍵をかけましょう。",
    "防犯カメラを駅前に設置しました。",
    "鍵の閉め忘れに注意しましょう。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("a code written apart, in words, as a dial combination or by what it opens is a 5.2.4 error", () => {
  const cases: [string, string, string][] = [
    ["倉庫の暗証番号は 4 8 2 1 です。", "security.secret-value", "暗証番号は 4 8 2 1"],
    [
      "キーボックスの番号は４ケタで、いち、きゅう、なな、ご です。",
      "security.secret-value",
      "キーボックスの番号は４ケタで、いち、きゅう、なな、ご",
    ],
    [
      "通用口のキーボックスは、右に３、左に８、右に１で開きます。",
      "security.secret-value",
      "キーボックスは、右に３、左に８、右に１",
    ],
    [
      "システムのパスワードは、全員「iwaki」で統一しています。",
      "security.secret-value",
      "パスワードは、全員「iwaki",
    ],
    ["会議室の扉は、0・3・1・5で解除できます。", "security.code-value", "0・3・1・5で解除"],
  ];
  for (const [text, rule, span] of cases) {
    const f = check(text).find((x) => x.rule === rule);
    assert.equal(f?.span, span, text);
    assert.equal(f?.clause, "5.2.4");
  }
  for (const text of [
    "暗証番号は4桁です。",
    "パスワードは8文字以上で設定してください。",
    "開館時間は9時30分で、17時に閉館します。",
    "暗証番号は、生年月日など推測されやすい数字を避けて設定してください。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("where cash or spare keys are kept is an error; advice against it is not", () => {
  for (const text of [
    "祭りの釣り銭は、本部テントの青いクーラーボックスの中に入れておきます。",
    "スペアキーは、事務所のドアの上の枠に乗せてあります。",
  ]) {
    assert.deepEqual(flagged(check(text)), ["5.2.4"], text);
  }
  for (const text of [
    "自宅のタンスに多額の現金を置いておくのは危険です。",
    "合鍵を植木鉢の下に置くのはやめましょう。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("a weather warning issued 発表前 is not an unpublished policy", () => {
  assert.deepEqual(flagged(check("大雨警報の発表前でも、早めの避難を心がけてください。")), []);
  assert.deepEqual(flagged(check("正式発表前ですが、駅前に大型商業施設ができる予定です。")), ["5.2.2.2"]);
});
