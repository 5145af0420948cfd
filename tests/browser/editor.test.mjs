// Browser tests of the web editor (Decap CMS at /admin/) on `portal serve`,
// which is its backend: a case made through the form is written into
// content/ and shown by the preview; a case the validator rejects is
// refused with its Swedish message and nothing is written. The server
// runs on a copy of the real content, so the tests never touch content/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch, startPreview } from "./helpers.mjs";

const repo = path.resolve(import.meta.dirname, "..", "..");
// Inside the repository, so that the server finds node_modules (Decap
// CMS, Dart Sass) the way `make serve` does.
const root = path.join(repo, ".cache", "editor-site");

let server, browser, url;
const foreign = [];

before(async () => {
  ({ proc: server, url } = await startPreview(root));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
  assert.deepEqual(foreign, [], "the editor loaded something from another server");
});

async function openNewCase() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(15000);
  page.on("request", (r) => { if (!r.url().startsWith(url) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) foreign.push(r.url()); });
  await page.goto(url + "/admin/");
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.goto(url + "/admin/#/collections/exempel/new");
  await page.getByLabel("Titel").fill("Testexempel i Ale");
  await page.getByLabel("Sammanfattning").fill("Ett exempel som webbläsartestet skapar.");
  // Lists to choose from: type, then pick the option with exactly that name.
  for (const [label, value] of [["Kommun", "Ale"], ["Målgrupp", "Äldre"], ["Investeringsmodell", "Social investeringsfond"], ["Status", "okänd"]]) {
    const input = page.getByLabel(label).first();
    await input.click();
    await input.fill(value);
    await page.getByRole("option", { name: value, exact: true }).click();
  }
  const body = page.locator(".cms-editor-raw [contenteditable=true], .cms-editor-raw textarea").first();
  await body.click();
  await page.keyboard.type("Ett stycke om Ale: ");
  // The link picker inserts [[slug]] where the cursor is.
  await page.getByRole("button", { name: "Infoga länk" }).click();
  await page.getByLabel("Sök på namn").fill("ale kommun");
  await page.getByRole("button", { name: "Sociala investeringar i Ale kommun (Exempel)" }).click();
  assert.match(await body.textContent(), /Ett stycke om Ale: \[\[ale-sociala-investeringar\]\]/);
  return page;
}

// publish presses Publicera → Publicera nu and returns the server's
// answer to the save.
async function publish(page) {
  const answer = page.waitForResponse((r) => r.url() === url + "/api/v1" && r.request().postData()?.includes('"persistEntry"'));
  await page.getByRole("button", { name: "Publicera" }).first().click();
  await page.getByText("Publicera nu", { exact: true }).click();
  return answer.catch(async (err) => {
    // Keep what the editor showed, to see why it did not save.
    await page.screenshot({ path: path.join(repo, ".cache", "editor-failure.png") });
    throw err;
  });
}

const file = path.join(root, "content", "exempel", "testexempel-i-ale.md");

test("a case with a date in the future is refused with the validator's message, and nothing is written", async () => {
  const page = await openNewCase();
  await page.getByLabel("Status gäller från").fill("2099");
  const answer = await publish(page);
  assert.equal(answer.status(), 422);
  // Decap shows the server's message in its notice.
  await page.getByText(/status_as_of: 2099 ligger i framtiden/).first().waitFor();
  if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT });
  assert.ok(!fs.existsSync(file), "the refused case was written to disk");
  await page.close();
});

test("a case made through the form is saved into content/ and shown by the preview", async () => {
  const page = await openNewCase();
  await page.getByRole("button", { name: "Publicera" }).first().click();
  await page.getByText("Publicera nu", { exact: true }).click();
  // The server writes the file and rebuilds the preview before it answers
  // the save. Watch both from outside the editor's tab: in headless
  // Chromium that tab is sometimes closed right after a successful
  // publish (see the issue note), which says nothing about the save.
  const deadline = Date.now() + 20000;
  let res;
  while (Date.now() < deadline) {
    res = fs.existsSync(file) ? await fetch(url + "/exempel/testexempel-i-ale/").catch(() => null) : null;
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(res?.status, 200, "the saved case never reached the preview");
  const saved = fs.readFileSync(file, "utf8");
  assert.match(saved, /municipality:\n\s+- Ale\n/);
  assert.match(saved, /investment_model:\n\s+- Social investeringsfond\n/);
  assert.match(saved, /Ett stycke om Ale: \[\[ale-sociala-investeringar\]\]/);
  // The preview, in a tab of its own as an editor has it, shows the case.
  const view = await browser.newPage();
  await view.goto(url + "/exempel/testexempel-i-ale/");
  assert.equal((await view.textContent("h1")).trim(), "Testexempel i Ale");
  assert.match(await view.textContent(".facts"), /Ale/);
  // The wiki link in the text became a link to the case it names.
  assert.ok(await view.locator('a[href="/exempel/ale-sociala-investeringar/"]').count() > 0);
  await view.close();
  await Promise.race([page.close({ runBeforeUnload: false }).catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
});
