// Search in the preview (`portal serve`): after an edit, the search page
// finds the new text at once, from a small index of the edited page merged
// into the one built at start, and lists the page once, not twice.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch, startPreview } from "./helpers.mjs";

const repo = path.resolve(import.meta.dirname, "..", "..");
const root = path.join(repo, ".cache", "preview-search-site");
const file = path.join(root, "content", "exempel", "hikikomori.md");

let server, browser, url;

before(async () => {
  ({ proc: server, url } = await startPreview(root));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

async function until(what, f, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await f()) return;
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// hits searches for q on /sok/ and returns the hits' paths. A reload
// the preview sends when an index is ready may cut into it: then again.
async function hits(page, q) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(url + "/sok/?q=" + encodeURIComponent(q));
      await page.waitForFunction(() => /träff|Inga träffar/.test(document.querySelector("#sok-status")?.textContent || ""));
      return await page.$$eval("#sok-resultat .result h3 a", (as) => as.map((a) => new URL(a.href).pathname));
    } catch (e) {
      if (attempt === 3 || !/interrupted by another navigation|context was destroyed/.test(e.message)) throw e;
    }
  }
}

test("an edited case is found by its new words at once, and listed once", async () => {
  await until("the search index", async () => (await fetch(url + "/pagefind/pagefind.js")).ok);
  let page = await browser.newPage();
  await hits(page, "zebrafinkar");
  assert.match(await page.textContent("#sok-status"), /^Inga träffar för ”zebrafinkar”/, "the new word is there before the edit");
  const before = (await hits(page, "hikikomori")).filter((u) => u === "/exempel/hikikomori/");
  assert.equal(before.length, 1);

  // The preview reloads open search pages after a build; this one is
  // closed first, so that its reload does not cut into the next search.
  await page.close();
  fs.appendFileSync(file, "\nZebrafinkar i Hallsbergs kommun.\n");
  await until("the overlay index", async () => {
    const r = await fetch(url + "/pagefind/ersatta.json");
    return r.ok && (await r.json()).andrat === true;
  });
  page = await browser.newPage();
  assert.deepEqual(await hits(page, "zebrafinkar"), ["/exempel/hikikomori/"]);
  const after = (await hits(page, "hikikomori")).filter((u) => u === "/exempel/hikikomori/");
  assert.equal(after.length, 1, "the edited case is listed twice (old and new index)");
  // The built site never has the preview's list of replaced entries.
  assert.ok(!fs.existsSync(path.join(process.env.SITE_DIR || path.join(repo, "public"), "pagefind", "ersatta.json")));
  await page.close();
});
