"""Run the CSL processor test suite (../shared/csl-test-suite/processor-tests/humans) through bibconv.csl.

Usage::

    python tools/csl_suite.py                    # print pass figures per category
    python tools/csl_suite.py --write-failures   # rewrite tests/data/csl/suite_failures.json
    python tools/csl_suite.py --show NAME        # expected vs got for one fixture

Fixtures are fed the way citeproc-js's runner feeds a processor: every INPUT item
is registered; then the clusters of CITATION-ITEMS or CITATIONS (or one cluster
citing every item when neither is given).  CITATIONS replay a word processor's
session, so there the bibliography holds the cited items only.  Output is compared after
:func:`normalise` (the only normalisation): whitespace runs collapse to one
space, whitespace next to a tag boundary on a line break is removed, and for
CITATIONS results the ``..``/``>>`` markers (which say which clusters the last
insertion changed, an incremental-update detail) are dropped.

Failure reasons are assigned by :data:`REASONS` (fixture-name prefix → reason);
a failing fixture without a specific reason gets its category's.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT.parent / "shared" / "csl-test-suite" / "processor-tests" / "humans"
FAILURES = ROOT / "tests" / "data" / "csl" / "suite_failures.json"

_SECTION = re.compile(r">>=+ ([A-Z0-9-]+) =+>>\n?(.*?)\n?<<=+ \1 =+<<", re.S)

#: Why fixtures fail, by fixture-name prefix (longest prefix wins); written by hand.
REASONS: dict[str, str] = {
    "affix": "affix/punctuation interplay at cite prefix/suffix joins not yet as citeproc-js",
    "bugreports": "mixed causes (each a citeproc-js bug report): name, date and punctuation details",
    "collapse": "collapsing: cite grouping/suffix collapsing details not yet as citeproc-js",
    "condition": "condition details (is-numeric edge cases, match semantics)",
    "date": "date rendering details (ranges, seasons, literal/raw parsing, EDTF)",
    "decorations": "formatting flip-flop / decoration nesting differences",
    "disambiguate": "disambiguation step order or name-expansion details differ from citeproc-js",
    "display": "display blocks inside entries not yet placed as citeproc-js does",
    "etal": "et-al edge cases",
    "flipflop": "quote/italic flip-flop of quotes inside field text not implemented",
    "form": "term/variable form fallbacks",
    "fullstyles": "full real-world styles: several small differences combine",
    "group": "group suppression edge cases",
    "integration": "integration (word-processor update) behaviour not modelled",
    "label": "label plural/term edge cases",
    "locale": "locale merging / terms differences (also newer locale files than the suite's)",
    "magic": "citeproc-js extensions and heuristics beyond the CSL specification",
    "name": "name rendering details (particles, initials, non-Latin names, formatting)",
    "nameattr": "inherited name attributes at some levels not applied as citeproc-js",
    "nameorder": "name order details",
    "number": "number formatting edge cases",
    "page": "page-range-format details",
    "plural": "plural detection details",
    "position": "position/ibid details",
    "punctuation": "punctuation de-duplication / punctuation-in-quote details",
    "quotes": "quote handling in field text",
    "sort": "sort key details (macro keys, names-min overrides, dates)",
    "substitute": "substitute details",
    "textcase": "text-case details (title case, sentence case, nocase)",
}


#: Causes found for single fixtures (checked by hand); they take precedence over :data:`REASONS`.
SPECIFIC: dict[str, str] = {
    "date_NegativeDateSort": (
        "locale version: citeproc-py's en-US writes the era terms as ' BC'/' AD' (suite: 'BC')"
    ),
    "date_NegativeDateSortViaMacroOnYearMonthOnly": (
        "locale version: era terms with a space (see date_NegativeDateSort)"
    ),
    "bugreports_SortedIeeeItalicsFail": (
        "locale version: month-06 short form is 'June' in the newer en-US file"
    ),
    "locale_NonExistentLocaleDef": (
        "a style cs:locale for a language without a locale file is not merged as citeproc-js"
    ),
    "date_YearSuffixImplicitWithNoDate": (
        "undated cites that differ in other fields: citeproc-js still adds suffixes"
    ),
    "date_YearSuffixWithNoDate": "undated cites that differ in other fields: citeproc-js still adds suffixes",
    "magic_CitationLabelInCitation": "citation-label: citeproc-js sorts cites by the generated label",
    "magic_CitationLabelInBibliography": "citation-label: citeproc-js sorts entries by the generated label",
    "flipflop_NumericField": "citeproc-js prints markup in a numeric field escaped; we read it as markup",
    "sort_EtAlUseLast": "names-use-last / et-al-use-last in sort keys not implemented",
    "sort_NamesUseLast": "names-use-last in sort keys not implemented",
    "sort_OmittedBibRefMixedNumericStyle": (
        "an entry that prints nothing is left out (BC406), no '[CSL STYLE ERROR]' text"
    ),
    "date_DateNoDateNoTest": "a cite that prints nothing gives no '[CSL STYLE ERROR]' text",
    "sort_LeadingApostropheOnNameParticle": (
        "particle ending in an apostrophe followed by a space keeps no space"
    ),
    "name_ParsedNonDroppingParticleWithApostrophe": "name-part formatting does not reach a parsed particle",
    "name_HebrewAnd": "Hebrew 'and' term: citeproc-js joins it to the next name without spaces",
    "name_EtAlWithCombined": "CJK names: no space before the et-al term",
    "name_WithNonBreakingSpace": "a no-break space in a name-part affix still gets the ordinary space",
    "bugreports_NoCaseEscape": "display blocks next to left-margin/right-inline not placed as citeproc-js",
    "bugreports_SmallCapsEscape": "display blocks next to left-margin/right-inline not placed as citeproc-js",
    "disambiguate_BasedOnEtAlSubsequent": (
        "disambiguation of et-al-subsequent (subsequent-position) forms not modelled"
    ),
    "disambiguate_YearSuffixWithEtAlSubsequent": "disambiguation of et-al-subsequent forms not modelled",
    "disambiguate_BasedOnSubsequentFormWithBackref2": (
        "disambiguation of subsequent-position forms not modelled"
    ),
    "disambiguate_IncrementalExtraText": (
        "the disambiguate condition is applied to all still-ambiguous cites at once"
    ),
    "bugreports_ChicagoAuthorDateLooping": (
        "citeproc-js's runner sorts the input items first; the harness cites them in input order"
    ),
    "bugreports_EnvAndUrb": (
        "cites ambiguous only in their subsequent form get the disambiguate condition; citeproc-js not here"
    ),
    "bugreports_MissingItemInJoin": (
        "after a cite suffix ending in a period citeproc-js drops the whole delimiter (we keep a space)"
    ),
    "bugreports_DemoPageFullCiteCruftOnSubsequent": (
        "subsequent-position form of a full-note style not as citeproc-js"
    ),
    "collapse_ChicagoAfterCollapse": "after-collapse-delimiter between single cites of different names",
    "disambiguate_ByCiteGivennameExpandCrossNestedNames": (
        "by-cite given names expanded only inside groups of identical cites"
    ),
    "disambiguate_InitializeWithButNoDisambiguation": (
        "year-suffix letters follow the bibliography order; citeproc-js orders them otherwise"
    ),
    "disambiguate_YearCollapseWithInstitution": (
        "collapse=year without cite-group-delimiter: citeproc-js uses the layout delimiter"
    ),
    "flipflop_LeadingMarkupWithApostrophe": (
        "single quotes after an apostrophe in a cite prefix are read as outer quotes"
    ),
    "label_EditorTranslator1": "Russian style: term, label and spacing differences",
    "locator_TrickyEntryForPlurals": (
        "a locator that starts with its own label ('vol. 1, fol. 186') still gets the page label"
    ),
    "magic_SubsequentAuthorSubstituteNotFooled": (
        "locale version: translator verb-short term is 'trans.' (suite: 'tran.')"
    ),
    "magic_SuperscriptChars": (
        "modifier letters without a superscript decomposition (ˀ ˁ ...) are not mapped to <sup>"
    ),
    "name_ParticlesDemoteNonDroppingNever": (
        "a particle written with periods ('v.d.') is not recognised in a family name"
    ),
    "number_OrdinalSpacing": (
        "a number variable holding text and a locator ('7, p. 3-8'): citeproc-js formats each part"
    ),
    "punctuation_FrenchOrthography": "French: citeproc-js puts narrow no-break spaces inside guillemets",
    "substitute_SubstituteOnlyOnceTermEmpty": (
        "an empty term inside cs:substitute ends the substitution in citeproc-js"
    ),
    "disambiguate_DifferentSpacingInInitials": (
        "given names that differ only in initial spacing count as different"
    ),
}


def parse_fixture(path: Path) -> dict[str, str]:
    """The sections of one fixture file."""
    text = path.read_text(encoding="utf-8-sig")
    return dict(_SECTION.findall(text))


def normalise(text: str) -> str:
    """The one normalisation applied to expected and actual output (see the module docstring)."""
    text = text.replace("\r\n", "\n")
    text = re.sub(r"^(?:\.\.|>>)\[", "[", text, flags=re.M)
    text = re.sub(r">\s*\n\s*", ">", text)
    text = re.sub(r"\s*\n\s*<", "<", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _document_order(clusters: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """CITATIONS entries ``[cluster, pre, post]`` inserted one after another → the final document.

    Each entry says which citations (with their current note numbers) stand before and
    after the inserted one, so the document after the last entry is its pre list, the
    cluster and its post list; note numbers come from those lists.
    """
    latest: dict[str, dict[str, Any]] = {}
    notes: dict[str, Any] = {}
    order: list[str] = []
    for entry in clusters:
        cluster, pre, post = entry[0], entry[1], entry[2] if len(entry) > 2 else []
        cid = str(cluster.get("citationID"))
        latest[cid] = cluster
        notes[cid] = (cluster.get("properties") or {}).get("noteIndex")
        for other, note in list(pre) + list(post):
            notes[str(other)] = note
        order = [str(o) for o, _ in pre] + [cid] + [str(o) for o, _ in post]
    out = []
    for cid in order:
        cluster = dict(latest[cid])
        cluster["properties"] = {**(cluster.get("properties") or {}), "noteIndex": notes.get(cid)}
        out.append((cid, cluster))
    return out


def run_fixture(fx: dict[str, str]) -> tuple[str, str]:
    """(expected, got) for one fixture, both normalised."""
    from bibconv.csl.engine import Citation, process

    mode = fx["MODE"].strip()
    items = json.loads(fx["INPUT"])
    for i, it in enumerate(items):
        # citeproc-js's runner names items that come without an id
        it.setdefault("id", f"ITEM-{i + 1}")
    citations: list[Citation] = []
    cluster_mode = False
    if "CITATIONS" in fx:
        cluster_mode = True
        order = _document_order(json.loads(fx["CITATIONS"]))
        citations = [Citation.from_json(c) for _, c in order]
    elif "CITATION-ITEMS" in fx:
        citations = [Citation.from_json(c) for c in json.loads(fx["CITATION-ITEMS"])]
    elif mode.startswith("citation"):
        ids = list(dict.fromkeys(str(it["id"]) for it in items))  # an id given twice is one item
        citations = [Citation.from_json([{"id": i} for i in ids])]
    cited = list(dict.fromkeys(ci.id for c in citations for ci in c.items)) if cluster_mode else None
    res = process(items, citations, style=fx["CSL"].encode("utf-8"), format="html", bibliography_ids=cited)
    if mode.startswith("bibliography"):
        got = res.bibliography_html() if res.bibliography else ""
    elif cluster_mode:
        got = "\n".join(f"[{i}] {c.text}" for i, c in enumerate(res.citations))
    else:
        got = "\n".join(c.text for c in res.citations)
    return normalise(fx["RESULT"]), normalise(got)


def fixtures() -> list[Path]:
    """Every fixture of the suite folder (not the experiments/off-spec subfolders)."""
    return sorted(SUITE.glob("*.txt"))


def category(name: str) -> str:
    """The fixture's category: the file-name prefix before ``_``."""
    return name.split("_", 1)[0]


def run_all() -> dict[str, str | None]:
    """{fixture name: None when it passes, else a one-line description of the failure}."""
    out: dict[str, str | None] = {}
    for path in fixtures():
        name = path.stem
        try:
            exp, got = run_fixture(parse_fixture(path))
        except Exception as exc:  # a crash is a failure, recorded as such
            out[name] = f"crash: {type(exc).__name__}: {exc}"
            continue
        out[name] = None if exp == got else "mismatch"
    return out


def reason_for(name: str, failure: str) -> str:
    """The recorded reason: crashes say so, other failures get their category's reason."""
    if failure.startswith("crash"):
        return "processor raises an exception: " + failure[len("crash: ") :][:120]
    if name in SPECIFIC:
        return SPECIFIC[name]
    best = ""
    for prefix in REASONS:
        if name.startswith(prefix + "_") and len(prefix) > len(best):
            best = prefix
    return REASONS.get(best, "not yet as citeproc-js")


def figures(results: dict[str, str | None]) -> str:
    """Pass counts overall and per category."""
    total = Counter(category(n) for n in results)
    ok = Counter(category(n) for n, r in results.items() if r is None)
    passed = sum(ok.values())
    lines = [f"CSL suite: {passed}/{len(results)} passed ({100 * passed / max(1, len(results)):.1f}%)"]
    for cat in sorted(total, key=lambda c: (-total[c], c)):
        lines.append(f"  {cat:14} {ok[cat]:4}/{total[cat]:<4} ({100 * ok[cat] / total[cat]:.0f}%)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write-failures", action="store_true", help="rewrite the failure list")
    ap.add_argument("--show", help="show expected and actual output of one fixture")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    if args.show:
        exp, got = run_fixture(parse_fixture(SUITE / f"{args.show}.txt"))
        print("EXPECTED:", exp, "\nGOT:     ", got, sep="\n")
        return 0
    t0 = time.perf_counter()
    results = run_all()
    print(figures(results))
    print(f"({time.perf_counter() - t0:.1f} s)")
    if args.write_failures:
        data = {n: reason_for(n, r) for n, r in sorted(results.items()) if r is not None}
        FAILURES.parent.mkdir(parents=True, exist_ok=True)
        FAILURES.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {len(data)} failures to {FAILURES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
