// Peer runner for the benchmarks: citation-js converts one file.
// usage: node citationjs.js INPUT (csljson|ris|bibtex|biblatex|apa|STYLE) [STYLE.csl]
'use strict'
const fs = require('fs')
const { Cite, plugins } = require('@citation-js/core')
require('@citation-js/plugin-bibtex')
require('@citation-js/plugin-ris')
require('@citation-js/plugin-csl')

const [input, target, cslFile] = process.argv.slice(2)
const text = fs.readFileSync(input, 'utf8')
let cite = new Cite(text)
let out
if (target === 'csljson') out = cite.format('data')
else if (target === 'ris') out = cite.format('ris')
else if (target === 'bibtex') out = cite.format('bibtex')
else if (target === 'biblatex') out = cite.format('biblatex')
else {
  if (target !== 'apa') {
    // citation-js bundles APA only; other styles are registered from a CSL file.
    (plugins.config.get('@csl').templates || plugins.config.get('@csl').styles).add(target, fs.readFileSync(cslFile, 'utf8'))
  }
  out = cite.format('bibliography', { template: target, format: 'text' })
}
process.stdout.write(String(out.length) + ' chars\n')
