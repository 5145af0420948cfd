// Shared set-up for the browser tests: a static server for a built site on
// loopback, and Debian's Chromium driven by playwright-core (never a
// downloaded browser).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
  ".svg": "image/svg+xml", ".wasm": "application/wasm", ".xml": "application/xml", ".txt": "text/plain" };

export function siteDir() {
  const dir = process.env.SITE_DIR;
  if (!dir || !fs.existsSync(path.join(dir, "index.html"))) {
    throw new Error("SITE_DIR must point at a built site (make test-browser builds one)");
  }
  return dir;
}

// serve serves dir on 127.0.0.1 with a random port; returns {url, close}.
export async function serve(dir) {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.join(dir, p);
    if (!file.startsWith(dir)) { res.writeHead(404); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) { res.writeHead(404, { "content-type": TYPES[".html"] }); return res.end(fs.readFileSync(path.join(dir, "404.html"))); }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

// caseLinks returns the case URLs listed on a built list page.
export function caseLinks(dir, page) {
  const html = fs.readFileSync(path.join(dir, page), "utf8");
  const list = html.slice(html.indexOf('<ul class="case-list">'));
  return [...new Set([...list.matchAll(/<h3 class="case-card__title"><a href="(\/exempel\/[^"]+)"/g)].map((m) => m[1]))].sort();
}

// startPreview copies the repository's content/ to root (a folder inside
// the repository, so that the server finds node_modules the way `make
// serve` does), starts `portal serve` on a free port and returns
// {proc, url} once it listens. SERVE_LOG, when set, gets its output.
export async function startPreview(root) {
  const repo = path.resolve(import.meta.dirname, "..", "..");
  const portal = process.env.PORTAL || path.join(repo, "bin", "portal");
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  fs.cpSync(path.join(repo, "content"), path.join(root, "content"), { recursive: true });
  const proc = spawn(portal, ["serve", "-root", root, "-addr", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      if (process.env.SERVE_LOG) fs.appendFileSync(process.env.SERVE_LOG, d);
      const m = out.match(/Förhandsgranskning på (http:\/\/[^/]+)\//);
      if (m) resolve(m[1]);
    });
    proc.on("exit", (code) => reject(new Error(`portal serve exited with ${code}: ${out}`)));
  });
  return { proc, url };
}
