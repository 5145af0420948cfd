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
