// Usage: node bench/search-bytes.mjs PUBLIC_DIR [query]  (a site built with search)
// Sums the bytes the browser downloads from /pagefind/ for a first query.
import { serve, launch } from "../tests/browser/helpers.mjs";
import fs from "node:fs"; import path from "node:path";
const dir = process.argv[2], q = process.argv[3] || "missbruk";
function du(d){let t=0;for(const e of fs.readdirSync(d,{withFileTypes:true})){const p=path.join(d,e.name);t+=e.isDirectory()?du(p):fs.statSync(p).size}return t}
const s = await serve(dir); const b = await launch(); const p = await b.newPage();
let bytes = 0, files = 0;
p.on("response", async r => { if (new URL(r.url()).pathname.startsWith("/pagefind/")) { try { bytes += (await r.body()).length; files++; } catch {} } });
await p.goto(s.url + "/sok/?q=" + encodeURIComponent(q));
await p.waitForFunction(() => /träff/.test(document.querySelector("#sok-status").textContent), null, {timeout: 60000});
await new Promise(r => setTimeout(r, 500));
console.log(JSON.stringify({index_bytes: du(path.join(dir, "pagefind")), first_query_bytes: bytes, files, status: await p.textContent("#sok-status")}));
await b.close(); await s.close();
