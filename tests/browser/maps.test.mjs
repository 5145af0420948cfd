// Browser tests of the maps and charts: axe-core finds no WCAG 2.1 A/AA
// violation on /oversikt/, a kommun page and a län page at 1280 and 390 px;
// the map's kommuner are links with accessible names; nothing scrolls
// sideways on a phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { siteDir, serve, launch } from "./helpers.mjs";

const axePath = path.resolve(import.meta.dirname, "..", "..", "node_modules", "axe-core", "axe.min.js");
let server, browser;

before(async () => {
  server = await serve(siteDir());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function axe(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.length} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`);
  });
}

for (const url of ["/oversikt/", "/kommun/ale/", "/lan/vastra-gotalands-lan/"]) {
  for (const width of [1280, 390]) {
    test(`${url} at ${width} px: no axe violations, no sideways scrolling`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(server.url + url);
      assert.deepEqual(await axe(page), []);
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      assert.ok(scroll <= client, `the page is ${scroll} px wide in ${client} px`);
      await page.close();
    });
  }
}

test("the overview map: every kommun with cases is a link named with its count, and the table agrees", async () => {
  const page = await browser.newPage();
  await page.goto(server.url + "/oversikt/");
  const links = await page.$$eval(".case-map a", (as) => as.map((a) => ({ href: a.getAttribute("href"), name: a.getAttribute("aria-label") })));
  assert.ok(links.length > 0, "no kommun is a link");
  for (const l of links) {
    assert.match(l.name, /^.+: \d+ exempel$/);
    assert.match(l.href, /^\/kommun\/[a-z0-9-]+\/$/);
  }
  const ale = links.find((l) => l.href === "/kommun/ale/");
  assert.ok(ale, "Ale is not on the map");
  const rows = await page.$$eval("#kommuntabell ~ tbody tr, table:has(#kommuntabell) tbody tr", (trs) =>
    trs.map((tr) => [new URL(tr.querySelector("a").href).pathname, tr.querySelector("td").textContent.trim()]));
  assert.equal(rows.length, links.length, "the table and the map list different kommuner");
  const aleRow = rows.find((r) => r[0] === "/kommun/ale/");
  assert.equal(ale.name, `Ale: ${aleRow[1]} exempel`);
  // Following a kommun on the map leads to its page.
  await page.click('.case-map a[href="/kommun/ale/"]');
  await page.waitForURL(/\/kommun\/ale\/$/);
  assert.match(await page.textContent("h1"), /Ale/);
  // Its locator map names the place and the län.
  assert.match(await page.textContent(".locator title"), /^Ale i Västra Götalands län$/);
  await page.close();
});

test("the overview is in the main menu and linked from the home page, with a map of the län", async () => {
  const page = await browser.newPage();
  await page.goto(server.url + "/");
  assert.equal(await page.getAttribute(".main-nav a[href='/oversikt/']", "href"), "/oversikt/");
  assert.ok(await page.$(".home-map a[href='/oversikt/']"), "the home page does not link /oversikt/");
  const lan = await page.$$eval(".home-map .case-map a", (as) => as.map((a) => a.getAttribute("aria-label")));
  assert.ok(lan.some((n) => /^Västra Götalands län: \d+ exempel$/.test(n)), lan.join(", "));
  await page.close();
});
