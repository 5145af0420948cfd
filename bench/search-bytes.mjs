// Usage: node bench/search-bytes.mjs PUBLIC_DIR [query]  (a site built with search)
// Sums the bytes the browser downloads from /pagefind/ for a first query.
import { serve, launch } from "../tests/browser/helpers.mjs";
import fs from "node:fs"; import path from "node:path";
const dir = process.argv[2], q = process.argv[3] || "missbruk";
function du(d){let t=0;for(const e of fs.readdirSync(d,{withFileTypes:true})){const p=path.join(d,e.name);t+=e.isDirectory()?du(p):fs.statSync(p).size}return t}
const s = await serve(dir); const b = await launch(); const p = await b.newPage();
const pending = [];
p.on("response", r => { if (new URL(r.url()).pathname.startsWith("/pagefind/")) pending.push(r.body().then(b => b.length, () => 0)); });
await p.goto(s.url + "/sok/?q=" + encodeURIComponent(q));
await p.waitForFunction(() => /träff/.test(document.querySelector("#sok-status").textContent), null, {timeout: 60000});
await p.waitForLoadState("networkidle");
const sizes = await Promise.all(pending);
const bytes = sizes.reduce((a, b) => a + b, 0);
console.log(JSON.stringify({index_bytes: du(path.join(dir, "pagefind")), first_query_bytes: bytes, files: sizes.length, status: await p.textContent("#sok-status")}));
await b.close(); await s.close();
