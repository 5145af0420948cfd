// Browser tests of the search page (/sok/) in headless Debian Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { siteDir, serve, launch, caseLinks } from "./helpers.mjs";

let server, browser, page;
const dir = siteDir();

before(async () => {
  server = await serve(dir);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path) {
  page = await browser.newPage();
  await page.goto(server.url + path);
  return page;
}

// atWidths runs fn on a new page at desktop (1280 px) and phone (390 px)
// width.
async function atWidths(fn) {
  for (const width of [1280, 390]) {
    const ctx = await browser.newContext({ viewport: { width, height: 800 } });
    try {
      await fn(await ctx.newPage(), width);
    } finally {
      await ctx.close();
    }
  }
}

// assertNoSidewaysScroll fails when the page is wider than the window.
async function assertNoSidewaysScroll(p, width) {
  const { scroll, client } = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `sideways scrolling at ${width} px: ${scroll} > ${client}`);
}

async function resultURLs(p) {
  await p.waitForFunction(() => {
    const s = document.querySelector("#sok-status");
    return s && /träff|Inga träffar/.test(s.textContent);
  });
  return p.$$eval("#sok-resultat .result h3 a", (as) => as.map((a) => new URL(a.href).pathname));
}

test("a query for missbruk lists MiniMili", async () => {
  const p = await open("/sok/?q=missbruk");
  const urls = await resultURLs(p);
  assert.ok(urls.includes("/exempel/minimili/"), `results: ${urls.join(", ")}`);
  await p.close();
});

test("a case is found by its target group, and excerpts never run labels together", async () => {
  // The facet labels are indexed as sentences of their own, and the hidden
  // filter spans are not: an excerpt used to read "ungaPersoner med
  // psykisk ohälsaFinansiering".
  const p = await open("/sok/?q=psykisk%20oh%C3%A4lsa");
  const urls = await resultURLs(p);
  assert.ok(urls.includes("/exempel/orebro-social-investeringsfond/"), `results: ${urls.join(", ")}`);
  const excerpts = await p.$$eval("#sok-resultat .result__excerpt", (ps) => ps.map((x) => x.textContent));
  assert.ok(excerpts.length > 0);
  for (const e of excerpts) {
    assert.doesNotMatch(e, /[a-zåäö][A-ZÅÄÖ]/, `run-together text in an excerpt: ${e}`);
  }
  await p.close();
});

test("each hit says what it is, where, and its status with the year", async () => {
  const p = await open("/sok/?q=psynk");
  await resultURLs(p);
  const metas = await p.$$eval("#sok-resultat .result", (lis) => lis.map((li) => ({
    url: new URL(li.querySelector("h3 a").href).pathname, meta: li.querySelector(".result__meta")?.textContent || "" })));
  const term = metas.find((m) => m.url === "/begrepp/psynk/");
  const kase = metas.find((m) => m.url === "/exempel/psynk-tidiga-insatser/");
  assert.ok(term && kase, JSON.stringify(metas));
  assert.equal(term.meta, "Begrepp");
  assert.match(kase.meta, /^Exempel · .+ · .*\b(19|20)\d\d\b/);
  await p.close();
});

test("no dead ends: words that find nothing together search again with fewer, and say so", async () => {
  // Both words are in the index, but on no page together: the rarer is
  // kept. At desktop and phone width, without sideways scrolling.
  await atWidths(async (p, width) => {
    await p.goto(server.url + "/sok/?q=" + encodeURIComponent("hikikomori ale"));
    const urls = await resultURLs(p);
    assert.ok(urls.includes("/exempel/hikikomori/"), `results: ${urls.join(", ")}`);
    assert.match(await p.textContent("#sok-status"), /^Inga träffar på alla orden – visar \d+ träff(ar)? på ”hikikomori”\.$/);
    await assertNoSidewaysScroll(p, width);
  });
});

test("no dead ends: a misspelt word gets the closest title or term, and its hits", async () => {
  await atWidths(async (p, width) => {
    await p.goto(server.url + "/sok/?q=hikikomory");
    await p.waitForSelector("#sok-menade:not([hidden])");
    assert.equal((await p.textContent("#sok-menade")).trim(), "Menade du Hikikomori?");
    assert.match(await p.textContent("#sok-status"), /^Inga träffar för ”hikikomory” – visar \d+ träff(ar)? på ”Hikikomori”\.$/);
    assert.ok((await resultURLs(p)).includes("/exempel/hikikomori/"));
    await assertNoSidewaysScroll(p, width);
    await p.click("#sok-menade a");
    const urls = await resultURLs(p);
    assert.ok(urls.includes("/exempel/hikikomori/"), `results: ${urls.join(", ")}`);
  });
});

test("the main menu leads to search, and a skip link passes the filters", async () => {
  await atWidths(async (p, width) => {
    await p.goto(server.url + "/exempel/");
    await p.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Sök och filtrera" }).click();
    await p.waitForURL(/\/sok\/$/);
    await p.goto(server.url + "/sok/?q=barn");
    await resultURLs(p);
    // From the search field, Tab reaches the skip link before any filter.
    await p.focus("#sok-fraga");
    await p.keyboard.press("Tab"); // the search button
    await p.keyboard.press("Tab");
    const focused = await p.evaluate(() => document.activeElement.textContent.trim());
    assert.equal(focused, "Hoppa till träffarna", `at ${width} px`);
    assert.ok(await p.locator(".skip-link--local").isVisible(), `the focused skip link is visible at ${width} px`);
    await p.keyboard.press("Enter");
    assert.equal(await p.evaluate(() => document.activeElement.id), "resultat-rubrik");
    await assertNoSidewaysScroll(p, width);
  });
});

test("filters are OR within a group and AND across groups", async () => {
  const ale = caseLinks(dir, "kommun/ale/index.html");
  const gbg = caseLinks(dir, "kommun/goteborg/index.html");
  const count = async (query) => {
    const p = await open("/sok/?" + query);
    await resultURLs(p);
    const n = Number((await p.textContent("#sok-status")).match(/^(\d+)/)?.[1] || 0);
    await p.close();
    return n;
  };
  // Ale or Göteborg: every case of either.
  assert.equal(await count("kommun=Ale&kommun=G%C3%B6teborg"), new Set([...ale, ...gbg]).size);
  // Ale and a status: fewer than Ale alone, but some.
  const aleOngoing = await count("kommun=Ale&status=P%C3%A5g%C3%A5ende");
  assert.ok(aleOngoing > 0 && aleOngoing < ale.length, `Ale and Pågående: ${aleOngoing} of ${ale.length}`);
});

test("chosen filters show as chips that remove themselves, also on a phone", async () => {
  await atWidths(async (p, width) => {
    await p.goto(server.url + "/sok/?q=barn&kommun=Ale&kommun=G%C3%B6teborg");
    await resultURLs(p);
    const chips = p.locator("#sok-chips button.chip");
    assert.deepEqual((await chips.allTextContents()).map((t) => t.replace(/\s+/g, " ").trim()),
      ["Ta bort filtret Kommun: Ale ×", "Ta bort filtret Kommun: Göteborg ×"]);
    assert.ok(await chips.first().isVisible(), `chips visible at ${width} px`);
    await chips.first().click();
    await p.waitForFunction(() => !location.search.includes("kommun=Ale"));
    // The address changes at once, the chips when the new results come.
    await p.waitForFunction(() => document.querySelectorAll("#sok-chips button.chip").length === 1);
    // Focus moves to the next chip, so a keyboard user can go on.
    await p.waitForFunction(() => /Göteborg/.test(document.activeElement.textContent));
    await assertNoSidewaysScroll(p, width);
  });
});

test("a facet page leads to the same filter on /sok/, to combine with others", async () => {
  const want = caseLinks(dir, "lan/vastra-gotalands-lan/index.html");
  const p = await open("/lan/vastra-gotalands-lan/");
  await p.getByRole("link", { name: "Kombinera Västra Götalands län med fler filter i sökningen" }).click();
  await resultURLs(p);
  assert.match((await p.locator("#sok-chips").textContent()).replace(/\s+/g, " "), /Län: Västra Götalands län/);
  assert.match(await p.textContent("#sok-status"), new RegExp("^" + want.length + " träff"));
  await p.close();
});

test("an inflected query finds its base form", async () => {
  // "investeringsfonderna" (definite plural) must find the page about the
  // model whose title has the base form "investeringsfond".
  const p = await open("/sok/?q=investeringsfonderna");
  const urls = await resultURLs(p);
  assert.ok(urls.includes("/begrepp/social-investeringsfond/"), `results: ${urls.join(", ")}`);
  await p.close();
});

test("filtering on kommun Ale shows exactly the Ale cases", async () => {
  const want = caseLinks(dir, "kommun/ale/index.html");
  assert.ok(want.length >= 5, "the portal has Ale cases");
  const p = await open("/sok/");
  // Browsing by filters alone: no query, the filters are offered with counts.
  await p.waitForSelector('input[data-filter="kommun"]');
  assert.match(await p.textContent("#sok-status"), /Skriv en sökfråga eller välj filter/);
  await p.getByRole("checkbox", { name: /^Ale\b/ }).check();
  await p.waitForFunction(() => location.search.includes("kommun=Ale"));
  await p.waitForFunction((n) => document.querySelectorAll("#sok-resultat .result").length === n ||
    document.querySelector("#sok-fler:not([hidden])"), want.length);
  while (await p.isVisible("#sok-fler")) await p.click("#sok-fler");
  const got = (await resultURLs(p)).sort();
  assert.deepEqual(got, want);
  await p.close();
});

test("a shared URL restores query and filters, and back works", async () => {
  const p = await open("/sok/?q=barn&status=P%C3%A5g%C3%A5ende");
  const urls = await resultURLs(p);
  assert.ok(urls.length > 0);
  assert.equal(await p.inputValue("#sok-fraga"), "barn");
  assert.ok(await p.getByRole("checkbox", { name: /^Pågående\b/ }).isChecked());
  assert.match(await p.textContent("#sok-status"), /träff.*barn.*valda filter/);
  // Unchecking pushes a new URL; Back restores the filter.
  await p.getByRole("checkbox", { name: /^Pågående\b/ }).uncheck();
  await p.waitForFunction(() => !location.search.includes("status="));
  await p.goBack();
  await p.waitForFunction(() => location.search.includes("status="));
  await p.waitForFunction(() => document.querySelector('input[data-filter="status"]:checked'));
  await p.close();
});

test("keyboard only: search, filter and open a result", async () => {
  const p = await open("/");
  // The skip link comes first; the header search field follows the logo.
  await p.keyboard.press("Tab");
  assert.equal(await p.evaluate(() => document.activeElement.className), "skip-link");
  for (let i = 0; i < 3 && (await p.evaluate(() => document.activeElement.id)) !== "sok-sidhuvud"; i++) {
    await p.keyboard.press("Tab");
  }
  assert.equal(await p.evaluate(() => document.activeElement.id), "sok-sidhuvud");
  await p.keyboard.type("fond");
  await p.keyboard.press("Enter");
  await p.waitForURL(/\/sok\/\?q=fond/);
  await resultURLs(p);
  // Tab from the search field into the filters and tick one with Space.
  await p.focus("#sok-fraga");
  let guard = 0;
  while (!(await p.evaluate(() => document.activeElement.matches("input[data-filter]"))) && guard++ < 10) {
    await p.keyboard.press("Tab");
  }
  const name = await p.evaluate(() => document.activeElement.value);
  await p.keyboard.press("Space");
  await p.waitForFunction((v) => decodeURIComponent(location.search.replace(/\+/g, " ")).includes(v), name);
  // Wait for the filtered results, not the query's: the list is drawn
  // again when they come, and a link read before that is gone after it
  // (CI once followed the new first result while waiting for the old).
  await p.waitForFunction(() => /med valda filter/.test(document.querySelector("#sok-status").textContent));
  // Focus stays on the checkbox after the results update (the filters
  // are drawn again with them).
  assert.ok(await p.evaluate((v) => document.activeElement.matches("input[data-filter]") && document.activeElement.value === v, name));
  await p.focus("#sok-resultat .result h3 a");
  const first = await p.evaluate(() => document.activeElement.getAttribute("href"));
  await p.keyboard.press("Enter");
  await p.waitForURL((u) => u.pathname === new URL(first, server.url).pathname);
  await p.close();
});

test("without JavaScript the page says so and links the facet pages", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const p = await ctx.newPage();
  await p.goto(server.url + "/sok/");
  assert.match(await p.textContent("noscript, .notice").catch(() => ""), /JavaScript/);
  const html = await p.content();
  assert.match(html, /href="\/kommun\/"/);
  await ctx.close();
});

test("on a phone the filters start folded and open on demand", async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const p = await ctx.newPage();
  await p.goto(server.url + "/sok/?q=barn&kommun=Ale");
  await resultURLs(p);
  assert.equal(await p.$eval("#sok-filterruta", (d) => d.open), false);
  assert.match(await p.textContent("#sok-valda"), /1 valda/);
  // The first result is on the first screen.
  const top = await p.$eval("#sok-resultat .result", (el) => el.getBoundingClientRect().top);
  assert.ok(top < 800, `first result at ${top}px`);
  await p.click("#sok-filterruta summary");
  assert.ok(await p.getByRole("checkbox", { name: /^Ale\b/ }).isChecked());
  await ctx.close();
});
