// Browser tests of page layout in headless Debian Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { siteDir, serve, launch } from "./helpers.mjs";

let server, browser;
const dir = siteDir();

before(async () => {
  server = await serve(dir);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the model comparison fits a 1280 px screen without sideways scrolling", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url + "/begrepp/jamfor-modeller/");
  const { scroll, client } = await page.$eval(".table-scroll", (el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(scroll <= client, `the table is ${scroll} px wide in a ${client} px frame`);
  await page.close();
});

test("the status badge of a case carries the year of its source", async () => {
  const page = await browser.newPage();
  await page.goto(server.url + "/exempel/fotosyntes/");
  const text = await page.textContent(".facts .status");
  assert.match(text, /(enligt källan \(\d{4}\)|Senast känt: .+ \d{4})/);
  await page.close();
});

test("/data/ lists every open data file, each served, and fits a phone", async () => {
  for (const width of [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(server.url + "/data/");
    const links = await page.$$eval(".data-files h3 a", (as) => as.map((a) => new URL(a.href).pathname));
    for (const f of ["exempel.json", "exempel.csv", "exempel.xlsx", "begrepp.json", "kallor.json", "exempel.schema.json", "dcat.rdf"]) {
      assert.ok(links.includes("/data/" + f), `no link to ${f}: ${links.join(", ")}`);
    }
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(scroll <= client, `at ${width} px the page is ${scroll} px wide`);
    // The footer of every page leads here.
    await page.goto(server.url + "/");
    assert.equal(await page.getAttribute("footer a[href='/data/']", "href"), "/data/");
    await page.close();
  }
  for (const f of ["exempel.json", "exempel.csv", "exempel.xlsx"]) {
    const r = await fetch(server.url + "/data/" + f);
    assert.equal(r.status, 200, f);
    assert.ok((await r.arrayBuffer()).byteLength > 1000, f);
  }
});
