/**
 * What an operator sees when a prohibited meaning is carried by a construction rather than a
 * listed word: each harmful post is marked with its clause and a Japanese reason; the near-miss
 * next to it (a post that protects a group, warns against an act, quotes a policy) stays clean.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkerForTests, flagged } from "./testing.ts";

const check = await checkerForTests();

/** [clause the post must be flagged with, or "" for a clean near-miss, text] */
type Case = [string, string];

function run(cases: readonly Case[]): void {
  for (const [clause, text] of cases) {
    const found = check(text, { postDate: "2026-06-10" });
    const clauses = flagged(found);
    if (clause === "") {
      assert.deepEqual(clauses, [], `near-miss flagged: ${text}\n${JSON.stringify(found)}`);
      continue;
    }
    assert.ok(clauses.includes(clause), `missed ${clause}: ${text}\n${JSON.stringify(found)}`);
    const f = found.find((x) => x.clause === clause && x.severity !== "info");
    assert.ok(f && f.span.length > 0, `no span: ${text}`);
  }
}

test("5.2.7: a group excluded from a service or judged as a whole; protecting the group is clean", () => {
  run([
    ["5.2.7", "外国籍の方は、市民農園の区画をお借りいただけません。お申し込みもお断りしています。"],
    ["5.2.7", "ひとり親のご家庭からの入会申込みは受け付けておりません。"],
    ["5.2.7", "車椅子の方の入館はご遠慮いただいております。"],
    ["5.2.7", "生活保護の人たちは、税金で暮らしているのに感謝が足りない人ばかりです。"],
    ["5.2.7", "あの団地の住民は、ルールを守らない人ばかりで困っています。"],
    ["", "国籍を理由とした入居拒否は禁止されています。お困りの方はご相談ください。"],
    ["", "障がいのある方も、介助者と一緒に無料でご入館いただけます。"],
    ["", "市外にお住まいの方は、今回の補助の対象外です。"],
    ["", "「外国人が増えると治安が悪くなる」といった偏見をなくしましょう。"],
  ]);
});

test("5.2.1: an unlawful act with encouragement or a promise of impunity; a warning is clean", () => {
  run([
    ["5.2.1", "夜の駅前なら、路上駐車しても取り締まりはありません。"],
    ["5.2.1", "壊れた自転車は、河川敷に置いておけば誰も気づきませんよ。"],
    ["5.2.1", "少しくらいなら、お酒を飲んでも車で帰って平気です。"],
    ["5.2.1", "高校生でもビールが買えるお店を紹介します。"],
    ["", "違法駐車は取り締まりの対象です。"],
    ["", "河川敷へのごみの不法投棄は犯罪です。見かけたら通報してください。"],
    ["", "お酒を飲んだら、自転車にも乗らないでください。"],
    ["", "第2駐車場に停めても問題ありません。"],
  ]);
});

test("5.2.6: a named company, shop or official judged for honesty or competence; an apology is clean", () => {
  run([
    ["5.2.6", "駅前の山本電器は、修理代をごまかす悪徳業者です。"],
    ["5.2.6", "個人的には、あの議員は何もわかっていない無責任な人だと思います。"],
    ["5.2.6", "委託先の会社は仕事がいい加減で、本当に頼りないです。"],
    ["", "市の説明が不十分で、皆さまにご迷惑をおかけしました。"],
    ["", "市役所を名乗ってお金をだまし取る電話にご注意ください。"],
    ["", "最低気温が氷点下の日は、水道管の凍結にご注意ください。"],
  ]);
});

test("5.2.4: codes in words and digits, where keys or cash are kept, how to get in; advice is clean", () => {
  run([
    ["5.2.4", "倉庫の暗証番号は、いち・さん・ご・なな です。"],
    ["5.2.4", "会議室の扉は、2・4・6・8で解除できます。"],
    ["5.2.4", "売上金は、受付の奥の棚の箱に入れておきます。"],
    ["5.2.4", "裏口のドアは鍵が壊れているので、夜でも外から開けられます。"],
    ["", "暗証番号は、誕生日など推測されやすいものを避けてください。"],
    ["", "鍵の貸し出しは窓口で行います。"],
    ["", "現金のほか、電子マネーもご利用いただけます。"],
  ]);
});

test("5.2.9: adult content and links beyond the listed words; education and warnings are clean", () => {
  run([
    ["5.2.9", "成人向けの動画はこちらから見られます。"],
    ["5.2.9", "出会い系アプリで、今夜すぐに会える相手を探しましょう。"],
    ["5.2.9", "詳しくはこちら https://www.example-adult.jp/iwaki"],
    ["", "成人式の記念品は、当日会場でお渡しします。"],
    ["", "出会い系サイトを通じた被害に注意しましょう。"],
    ["", "成人向けの料理教室を開催します。"],
  ]);
});

test("5.2.2.1: a resident named with details, also in a quoted report; a staff contact is clean", () => {
  run([
    ["5.2.2.1", "新聞によると、「市内の無職、木村一郎容疑者（61）が逮捕された」とのことです。"],
    ["5.2.2.1", "平第一小３年の佐藤みおちゃんが、絵画展で入賞しました。"],
    ["5.2.2.1", "窓口で大声を出していたのは、常磐の山口という男性です。"],
    ["", "担当：広報広聴課 佐藤（内線1234）"],
    ["", "お問い合わせ：こども家庭課 鈴木"],
    ["", "市長の内田が、表彰式に出席しました。"],
  ]);
});

test("5.2.2.2: a post announcing something ahead of its release or embargo; a release is clean", () => {
  run([
    ["5.2.2.2", "記者発表に先立ち、新しい観光ポスターをこっそりお見せします。"],
    ["5.2.2.2", "解禁は明日ですが、今年の花火大会の日程をお伝えします。"],
    ["", "本日の記者発表で、新しい観光ポスターを公表しました。"],
    ["", "アユ釣りが解禁されました。"],
  ]);
});

test("5.1.1: votes or support asked for a candidate or party, a campaign in the official voice", () => {
  run([
    ["5.1.1", "市長選では、現職の候補への投票をお願いします。"],
    ["5.1.1", "市長の後援会への入会をお待ちしています。"],
    ["5.1.1", "〇〇党の候補者の街頭演説が駅前で行われます。ぜひ応援に行きましょう。"],
    ["", "市長選挙の期日前投票は、市役所本庁舎でできます。"],
    ["", "投票用紙には、候補者の氏名を書いてください。"],
  ]);
});

test("5.2.5: a staff member's private state in the official voice; health advice is clean", () => {
  run([
    ["5.2.5", "中の人は昨日飲みすぎて、今日は二日酔いです。"],
    ["5.2.5", "寝不足で頭が回りませんが、今日も投稿がんばります。"],
    ["5.2.5", "正直、今日はもう休みたいです…"],
    ["", "寝不足や二日酔いでの運転は、事故の原因になります。"],
    ["", "疲れたときは、温泉でゆっくり休みませんか。"],
  ]);
});
