/**
 * Link cards read safely: the addresses refused (private, loopback, link-local, metadata, mapped
 * forms), https only in production, loopback only when configured so (the tests and the demo), the
 * Open Graph tags read (Shift_JIS pages too), redirects checked at each hop, the time and size
 * limits, and no card (never an error) when anything fails. Pages are served on loopback here;
 * nothing is looked up or fetched outside this machine.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { addressAllowed, cardOfHtml, checkedLookup, fetchLinkCard, urlAllowed } from "./link-card.ts";

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const PNG = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3, 4]);
const routes = new Map<string, Route>();
const seen: { path: string; headers: IncomingMessage["headers"] }[] = [];
let base = "";
const server = createServer((req, res) => {
  seen.push({ path: req.url ?? "", headers: req.headers });
  const route = routes.get(req.url ?? "");
  if (route) route(req, res);
  else res.writeHead(404).end();
});

const html =
  (body: string, type = "text/html; charset=utf-8"): Route =>
  (_req, res) => {
    res.writeHead(200, { "Content-Type": type }).end(body);
  };

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address: AddressInfo | string | null = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  routes.set(
    "/news",
    html(
      `<!doctype html><html><head><title>いわき市 - お知らせ</title>
<meta property="og:title" content="市民プール開場のお知らせ &amp; 利用案内">
<meta content="7月1日から市民プールを開場します。" property="og:description">
<meta property="og:image" content="/img/pool.png"></head><body>…</body></html>`,
    ),
  );
  routes.set("/img/pool.png", (_req, res) => res.writeHead(200, { "Content-Type": "image/png" }).end(PNG));
  routes.set("/sjis", (_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(
      Buffer.concat([
        Buffer.from('<html><head><meta charset="Shift_JIS"><title>', "latin1"),
        Buffer.from(new Uint8Array([0x8e, 0x73, 0x96, 0xf0, 0x8f, 0x8a])), // 市役所
        Buffer.from("</title></head></html>", "latin1"),
      ]),
    );
  });
  routes.set("/title-only", html("<html><head><title>防災情報</title></head></html>"));
  routes.set("/nothing", html("<html><body>本文だけ</body></html>"));
  routes.set("/json", (_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
  routes.set("/hang", () => {
    // never answers: the time limit ends it
  });
  routes.set("/to-news", (_req, res) => res.writeHead(302, { Location: "/news" }).end());
  routes.set("/to-private", (_req, res) => res.writeHead(302, { Location: "http://10.0.0.1/admin" }).end());
  routes.set("/to-metadata", (_req, res) =>
    res.writeHead(301, { Location: "http://169.254.169.254/latest/meta-data/" }).end(),
  );
  routes.set("/big", html(`<html><head>${" ".repeat(3000)}<title>遠すぎる題名</title></head></html>`));
  routes.set(
    "/big-image",
    html(
      '<html><head><title>大きい画像</title><meta property="og:image" content="/img/big.png"></head></html>',
    ),
  );
  routes.set("/img/big.png", (_req, res) =>
    res.writeHead(200, { "Content-Type": "image/png" }).end(Buffer.alloc(5000, 1)),
  );
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("refused addresses: private, loopback, link-local (cloud metadata), CGNAT, multicast, IPv6 local, mapped forms", () => {
  for (const address of [
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "127.0.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "::",
    "fd00::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "64:ff9b::a00:1",
  ])
    assert.equal(addressAllowed(address), false, address);
  for (const address of ["93.184.216.34", "2001:4860:4860::8888", "133.242.0.1"])
    assert.equal(addressAllowed(address), true, address);
  assert.equal(addressAllowed("127.0.0.1", "loopback"), true, "tests and demo: loopback only");
  assert.equal(addressAllowed("10.1.2.3", "loopback"), false);
  assert.equal(addressAllowed("93.184.216.34", "loopback"), false, "loopback mode never goes out");
  assert.equal(addressAllowed("93.184.216.34", "off"), false);

  assert.equal(urlAllowed(new URL("https://www.city.iwaki.lg.jp/")), true);
  assert.equal(urlAllowed(new URL("http://www.city.iwaki.lg.jp/")), false, "https only");
  assert.equal(urlAllowed(new URL("https://user:pw@www.city.iwaki.lg.jp/")), false, "no credentials");
  assert.equal(urlAllowed(new URL("https://10.0.0.1/")), false);
  assert.equal(urlAllowed(new URL("https://[::1]/")), false);
  assert.equal(urlAllowed(new URL("http://127.0.0.1:8080/")), false, "loopback needs the configuration");
  assert.equal(urlAllowed(new URL("http://127.0.0.1:8080/"), "loopback"), true);
  assert.equal(urlAllowed(new URL("https://www.city.iwaki.lg.jp/"), "loopback"), false, "no other name");
  assert.equal(urlAllowed(new URL("file:///etc/passwd"), "loopback"), false);
});

test("the connection's own lookup checks what a name resolves to: localhost is refused in production", async () => {
  const lookup = (from: "public" | "loopback") =>
    new Promise<string>((resolve) =>
      checkedLookup(from)("localhost", { family: 4 }, (error, address) =>
        resolve(error ? "refused" : String(address)),
      ),
    );
  assert.equal(await lookup("public"), "refused");
  assert.equal(await lookup("loopback"), "127.0.0.1");
});

test("the Open Graph tags are read (entities decoded, the image made absolute); <title> otherwise", () => {
  const page = new URL("https://www.city.iwaki.lg.jp/news/1.html");
  assert.deepEqual(
    cardOfHtml(
      `<meta property="og:title" content="A &amp; B"><meta name="description" content='説明'><meta property="og:image" content="../img/a.jpg">`,
      page,
    ),
    { title: "A & B", description: "説明", image: "https://www.city.iwaki.lg.jp/img/a.jpg" },
  );
  assert.deepEqual(cardOfHtml("<title>\n  市のお知らせ\n</title>", page), {
    title: "市のお知らせ",
    description: "",
    image: "",
  });
});

test("a card from loopback when so configured: title, description, image; the page got no cookie", async () => {
  seen.length = 0;
  const card = await fetchLinkCard(`${base}/news`, { from: "loopback" });
  assert.deepEqual(card, {
    uri: `${base}/news`,
    title: "市民プール開場のお知らせ & 利用案内",
    description: "7月1日から市民プールを開場します。",
    image: { bytes: new Uint8Array(PNG), contentType: "image/png" },
  });
  assert.deepEqual(
    seen.map((s) => s.path),
    ["/news", "/img/pool.png"],
  );
  for (const s of seen) {
    assert.equal(s.headers.cookie, undefined);
    assert.equal(s.headers.authorization, undefined);
  }
  assert.equal((await fetchLinkCard(`${base}/sjis`, { from: "loopback" }))?.title, "市役所", "Shift_JIS");
  assert.deepEqual(await fetchLinkCard(`${base}/title-only`, { from: "loopback" }), {
    uri: `${base}/title-only`,
    title: "防災情報",
    description: "",
  });
  assert.equal(
    (await fetchLinkCard(`${base}/to-news`, { from: "loopback" }))?.title,
    "市民プール開場のお知らせ & 利用案内",
  );
});

test("no card, never an error: production settings refuse loopback without asking it; redirects to private addresses, other types, nothing to show, time and size limits", async () => {
  seen.length = 0;
  assert.equal(await fetchLinkCard(`${base}/news`), null, "public mode: a loopback page is refused");
  assert.equal(await fetchLinkCard(`${base}/news`, { from: "off" }), null);
  assert.equal(seen.length, 0, "not even asked");

  assert.equal(await fetchLinkCard(`${base}/to-private`, { from: "loopback" }), null);
  assert.equal(await fetchLinkCard(`${base}/to-metadata`, { from: "loopback" }), null);
  assert.equal(await fetchLinkCard(`${base}/json`, { from: "loopback" }), null);
  assert.equal(await fetchLinkCard(`${base}/nothing`, { from: "loopback" }), null);
  assert.equal(await fetchLinkCard(`${base}/missing`, { from: "loopback" }), null);
  assert.equal(await fetchLinkCard("not a url", { from: "loopback" }), null);

  const started = Date.now();
  assert.equal(await fetchLinkCard(`${base}/hang`, { from: "loopback", timeoutMs: 300 }), null);
  assert.ok(Date.now() - started < 2000, "the time limit ends it");

  assert.equal(
    await fetchLinkCard(`${base}/big`, { from: "loopback", maxBytes: 1000 }),
    null,
    "only the first bytes are read: the title after them is not seen",
  );
  assert.deepEqual(
    await fetchLinkCard(`${base}/big-image`, { from: "loopback", maxBytes: 1000 }),
    { uri: `${base}/big-image`, title: "大きい画像", description: "" },
    "an image over the limit is left out, the card stays",
  );
});
