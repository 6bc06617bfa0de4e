/** What a post says: vocabularies (vocabulary.ts), personal opinions (opinion.ts), rumours (rumour.ts). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkerForTests, flagged } from "../testing.ts";

const check = await checkerForTests();

test("insults, slurs, obscenity and incitement are reported with their clause", () => {
  const cases: [string, string, string][] = [
    ["こんなこともわからないなんて、本当にバカなんですか？", "5.2.6", "バカ"],
    ["あの議員の発言は頭がおかしいとしか思えません。", "5.2.6", "頭がおかしい"],
    ["土方の仕事は大変だ。", "5.2.7", "土方"],
    ["外人が増えた。", "5.2.7", "外人"],
    ["このサイトで最新の映画が無料で違法ダウンロードできるって本当？", "5.2.1", "違法ダウンロード"],
    ["大麻の栽培方法を解説した動画が話題ですね。", "5.2.1", "大麻"],
    ["エロい写真を見つけました。", "5.2.9", "エロ"],
  ];
  for (const [text, clause, span] of cases) {
    const f = check(text).find((x) => x.clause === clause);
    assert.equal(f?.span, span, text);
    assert.equal(f?.severity, "error", text);
  }
  const threat = check("あいつは殺してやる。").find((x) => x.clause === "5.2.10");
  assert.equal(threat?.severity, "warning");
  assert.equal(check("うるさい、死ね！").find((x) => x.clause === "5.2.6")?.span, "死ね");
});

test("whole words only: compounds, names and ordinary words are not reported", () => {
  for (const text of [
    "ボケ防止のための体操教室を開きます。",
    "土方歳三の資料展を開催します。",
    "SMサイズのTシャツを販売します。",
    "カスタマーハラスメント（カスハラ）対策を進めています。",
    "リサイクルにご協力ください。イクメン講座も開きます。",
    "ページをめくらないでください。かたわらに置いてください。",
    "糖質制限の講座を開きます。池沼の水質調査を行いました。",
    "乳がん検診（乳房X線撮影）のお知らせです。処女作の朗読会もあります。",
    "海外人材の活用セミナーと、横浜外人墓地を訪ねるツアーです。",
    "支那そばの名店を紹介します。",
    "このままでは死ねないと、懸命に泳ぎました。",
    "唖然とする出来事でした。",
    "ちんちん電車の写真展です。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("prevention messages about illegal acts are not reported", () => {
  for (const text of [
    "飲酒運転は絶対にやめましょう。",
    "闇バイトに注意してください。",
    "大麻の乱用防止キャンペーンを実施します。",
    "オンラインカジノは違法です。",
    "違法ダウンロードは犯罪です。",
    "不法投棄を見つけたら通報してください。",
    "ネット上の誹謗中傷や差別は許されません。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("discriminatory phrases about groups are errors; quoted to reject them, warnings", () => {
  const direct = check("やっぱり女のくせに現場仕事は無理なんですよね。").find((f) => f.clause === "5.2.7");
  assert.equal(direct?.severity, "error");
  assert.equal(direct?.span, "女のくせに");
  const exclusion = check("外国人お断りの店が増えているのは、外人はマナーが悪いから仕方ないですね。");
  assert.ok(exclusion.some((f) => f.rule === "vocab.group-exclusion" && f.span === "外国人お断り"));
  assert.ok(exclusion.some((f) => f.rule === "vocab.group-stereotype" && f.span === "外人はマナーが悪い"));
  const quoted = check(
    "女のくせに消防士なんて無理だという声もありますが、市では性別に関係なく職員を募集しています。",
  );
  assert.deepEqual(
    quoted.filter((f) => f.clause === "5.2.7").map((f) => f.severity),
    ["warning"],
  );
  const rejected = check("「外国人は出ていけ」という心ない書き込みがありましたが、市は差別を許しません。");
  assert.ok(rejected.every((f) => f.severity !== "error"));
  assert.deepEqual(flagged(check("彼女は迷惑をかけないよう気をつけていました。")), []);
});

test("personal opinions of staff are 5.2.5 warnings", () => {
  const cases1: [string, string][] = [
    ["個人的には、今回の駅前再開発計画には反対です。", "個人的には"],
    ["今回の件について私見を述べさせていただくと、県の対応には疑問があります。", "私見"],
    ["私はこの計画に反対です。", "私はこの計画に反対"],
    ["僕は花火大会を続けるべきだと思います。", "僕は花火大会を続けるべきだと"],
    ["私事ですが、本日で異動となります。", "私事ですが"],
  ];
  for (const [text, span] of cases1) {
    const f = check(text).find((x) => x.clause === "5.2.5");
    assert.equal(f?.span, span, text);
    assert.equal(f?.severity, "warning");
  }
});

test("the city speaking (私たち, 市では) and official reasoning are not personal opinions", () => {
  for (const text of [
    "私たちは市民の安全を第一に考えています。",
    "市では、災害に強いまちづくりが必要だと考えています。",
    "私立幼稚園の入園説明会を開催します。",
    "自分の身は自分で守ると思いましょう。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("rumours and hearsay are 5.2.8 warnings", () => {
  const cases1: [string, string][] = [
    ["駅前のスーパーが来月閉店するらしいです。", "するらしい"],
    ["噂によると、今年の花火大会は中止になるかもしれません。", "噂"],
    ["未確認の情報ですが、市内で不審者が目撃されました。", "未確認の情報"],
    ["市内で不審者の目撃情報があったという話を聞きました。", "という話を聞きました"],
    ["来月から中止になるとか。", "なるとか"],
    ["イベントは中止らしいです。", "中止らしい"],
    ["会場が変わったみたいです。", "変わったみたい"],
  ];
  for (const [text, span] of cases1) {
    const f = check(text).find((x) => x.clause === "5.2.8");
    assert.equal(f?.span, span, text);
    assert.equal(f?.severity, "warning");
  }
});

test("〜らしい after a noun (春らしい), enumerations with とか and denials of rumours are fine", () => {
  for (const text of [
    "春らしい陽気になりました。",
    "いわきらしい風景を撮影しました。",
    "かわいらしい花が咲いています。",
    "SNS上で「浄水場が停止した」という噂が広がっていますが、事実ではありません。",
    "デマや噂に惑わされないようご注意ください。",
    "風評被害の払拭に取り組みます。",
    "ボールとかラケットなどを持ってきてください。",
    "新しい話題をお届けします。という話題で盛り上がりました。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});

test("hearsay そうです is information only; appearance そう is nothing", () => {
  const hearsay = check("駅前の店が閉店するそうです。");
  assert.deepEqual(
    hearsay.map((f) => [f.rule, f.severity, f.span]),
    [["rumour.hearsay-sou", "info", "するそう"]],
  );
  assert.deepEqual(check("雨が降りそうです。"), []);
  assert.deepEqual(check("県の発表によると、明日は休校になるそうです。"), []);
});

test("describing mockery (馬鹿にする) is not itself an insult", () => {
  assert.deepEqual(flagged(check("人を馬鹿にする言葉はやめましょう。")), []);
  assert.deepEqual(flagged(check("市民をバカにした対応だと批判されました。")), []);
});

test("adult-content wording beyond the shipped list is 5.2.9; adult education and warnings are not", () => {
  for (const text of [
    "成人向け動画が見放題のサイトはこちら。",
    "18禁グッズのお店が駅前にオープンしました！",
    "寂しい夜に、出会い系アプリで近くの人と出会いましょう。",
  ]) {
    assert.ok(flagged(check(text)).includes("5.2.9"), text);
  }
  for (const text of [
    "成人式の会場はアリオスです。",
    "成人向けの英会話教室の受講生を募集します。",
    "出会い系サイトを通じた被害が増えています。ご注意ください。",
    "セクシュアル・ハラスメントの防止研修を行いました。",
  ]) {
    assert.deepEqual(flagged(check(text)), [], text);
  }
});
