#!/usr/bin/env node
// Render a bibliography with citeproc-js, the reference CSL processor, for
// bibconv's fidelity tests.  Reads one JSON object on stdin:
//   {"items": [CSL-JSON...], "style": "<style XML>", "locales_dir": "...",
//    "lang": "en-US" (optional), "format": "text" (optional),
//    "cite": [["id1"], ["id1", "id2"]] (optional: also render these citations)}
// and prints {"entries": [[id, text], ...], "citations": [text, ...], "errors": [...]}.
// The citeproc module is found through NODE_PATH (tests set it).
"use strict";

const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

function main(input) {
  const req = JSON.parse(input);
  const byId = new Map();
  for (const item of req.items) byId.set(String(item.id), item);
  const localeCache = new Map();
  const sys = {
    retrieveItem: (id) => byId.get(String(id)),
    retrieveLocale: (lang) => {
      if (localeCache.has(lang)) return localeCache.get(lang);
      const file = path.join(req.locales_dir, "locales-" + lang + ".xml");
      const xml = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
      localeCache.set(lang, xml);
      return xml;
    },
  };
  const engine = new CSL.Engine(sys, req.style, req.lang || undefined, !!req.lang);
  engine.setOutputFormat(req.format || "text");
  const errors = [];
  engine.updateItems(req.items.map((i) => String(i.id)));
  const citations = [];
  for (const group of req.cite || []) {
    try {
      const cluster = { citationItems: group.map((id) => ({ id: String(id) })), properties: { noteIndex: 0 } };
      citations.push(engine.makeCitationCluster(cluster.citationItems));
    } catch (e) {
      errors.push(String(e));
      citations.push(null);
    }
  }
  let entries = [];
  if (engine.bibliography && engine.bibliography.tokens && engine.bibliography.tokens.length) {
    const bib = engine.makeBibliography();
    if (bib) {
      const [meta, texts] = bib;
      if (texts.length === meta.entry_ids.length) {
        entries = meta.entry_ids.map((ids, i) => [String(ids[0]), texts[i]]);
      } else {
        // citeproc-js leaves entries that print nothing out of the texts but not
        // out of entry_ids.  Find the empty ones by rendering each alone, then pair
        // the others, in order, with the texts of the full bibliography (whose
        // entries depend on their neighbours: subsequent-author-substitute).
        let next = 0;
        entries = meta.entry_ids.map((ids) => {
          const one = engine.makeBibliography({ select: [{ field: "id", value: String(ids[0]) }] });
          const empty = !one || one[1].length === 0;
          return [String(ids[0]), empty ? "" : texts[next++]];
        });
      }
    }
  }
  process.stdout.write(JSON.stringify({ entries, citations, errors }));
}

let data = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (data += chunk));
process.stdin.on("end", () => {
  try {
    main(data);
  } catch (e) {
    process.stdout.write(JSON.stringify({ entries: [], citations: [], errors: [String(e && e.stack || e)] }));
    process.exitCode = 2;
  }
});
