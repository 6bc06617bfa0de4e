import assert from "node:assert/strict";
import { test } from "node:test";
import { correctionLead, correctsNothing } from "./corrections.ts";

const original = "【お知らせ】12月5日（土）に市民会館で音楽会を開きます。";

test("the original under a label, the system's lead, other spacing or widths corrects nothing (5.3.3)", () => {
  assert.equal(correctsNothing(`${correctionLead("11月23日に")}\n\n${original}`, original), true);
  assert.equal(correctsNothing(`${correctionLead("先日")}\n${original}`, original), true);
  assert.equal(correctsNothing(`【訂正】 ${original.replace("（土）", "(土)")}`, original), true);
  assert.equal(correctsNothing(`【お詫びと訂正】${original}`, original), true);
  assert.equal(correctsNothing("【訂正】", original), true, "nothing but the label");
});

test("a changed word corrects", () => {
  assert.equal(
    correctsNothing(`${correctionLead("先日")}\n${original.replace("5日（土）", "6日（日）")}`, original),
    false,
  );
  assert.equal(
    correctsNothing("【訂正】音楽会は12月6日（日）の誤りでした。お詫びして訂正いたします。", original),
    false,
  );
});
