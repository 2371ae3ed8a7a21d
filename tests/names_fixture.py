"""Compare bibconv's name parsing with ../shared/fixtures/names.json, case by case.

Each fixture kind has its own expected format; ``outcome`` maps a case to True
(agrees), False (disagrees) or None (the case does not belong to the BibTeX
name rules: RIS names, strict-mode errors).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from bibconv.formats.bibtex.latex import decode
from bibconv.formats.bibtex.names import format_name, parse_name, split_names
from bibconv.ir import Name


def _plain(tokens: Any) -> str | None:
    if tokens is None:
        return None
    text = " ".join(tokens) if isinstance(tokens, list) else str(tokens)
    text = re.sub(r"\\bibnamedelim[a-z]", " ", text)  # Biber's .bbl spacing macros
    text = decode(text, nocase=False).text.replace("\u00a0", " ")  # a tie is a space in a name
    return unicodedata.normalize("NFC", " ".join(text.split())) or None


def _nfc(name: Name) -> Name:
    """Fixtures differ in Unicode normalisation; compare composed forms."""

    def f(v: str | None) -> str | None:
        return None if v is None else unicodedata.normalize("NFC", v)

    return Name(
        family=f(name.family),
        given=f(name.given),
        non_dropping_particle=f(name.non_dropping_particle),
        suffix=f(name.suffix),
        literal=f(name.literal),
    )


def _family_with_particle(n: Name) -> str | None:
    if n.literal is not None:
        return n.literal
    parts = [n.non_dropping_particle, n.family]
    return " ".join(p for p in parts if p) or None


def outcome(case: dict[str, Any]) -> bool | None:
    kind = case["kind"]
    raw = case["input"]
    exp = case["expected"]
    if kind in ("ris-name-to-csl", "ris-name-to-zotero", "invalid-name"):
        return None
    if (
        kind == "bibtex-name-to-bibtex-parser"
        and "prefix" in exp
        and re.search(r"\{[^{}]*\s[^{}]*\}\s*,", raw)
    ):
        # Better BibTeX splits a particle out of a braced family ("{de la Mare}, W."); by BibTeX's
        # rules braces make one unit, which is how users protect such names
        return None
    if kind == "bibtex-name-parts" and not raw.strip(" ,~\t"):
        return None  # empty input: bibconv yields no name at all, not four empty parts
    if kind == "and-splitting":
        return split_names(raw) == [s.strip() for s in exp]
    if kind == "name-normalization":
        if "name_to_bibtex" not in case["expected_format"]:
            return None
        return format_name(parse_name(raw), unicode=True) == exp
    name = _nfc(parse_name(raw))
    exp = {k: (_plain(v) if isinstance(v, str) else v) for k, v in exp.items()}
    if kind == "bibtex-name-parts":
        if name.literal is not None:
            got = {"first": None, "von": None, "last": name.literal, "jr": None}
        else:
            got = {
                "first": name.given,
                "von": name.non_dropping_particle,
                "last": name.family,
                "jr": name.suffix,
            }
        return all(_plain(exp.get(k)) == got[k] for k in ("first", "von", "last", "jr"))
    if kind == "bibtex-name-to-csl":
        if name.literal is not None:
            return exp.get("literal", exp.get("family")) == name.literal and not exp.get("given")
        particle = exp.get("non-dropping-particle") or exp.get("dropping-particle")
        fam = exp.get("family")
        if particle and fam and name.non_dropping_particle is None:
            return f"{particle} {fam}" == name.family and exp.get("given") == name.given
        return (fam, exp.get("given"), particle) == (name.family, name.given, name.non_dropping_particle)
    if kind == "bibtex-name-to-zotero":
        if "name" in exp:
            return name.literal == exp["name"] or _family_with_particle(name) == exp["name"]
        last = _family_with_particle(name)
        given = name.given
        if name.suffix:
            given = f"{given}, {name.suffix}" if given else name.suffix
        return (last, given) == (exp.get("lastName"), exp.get("firstName") or None)
    if kind == "bibtex-name-to-bibtex-parser":
        if "name" in exp:
            return (name.literal or _family_with_particle(name)) == exp["name"]
        return (
            name.family,
            name.given,
            name.non_dropping_particle,
            name.suffix,
        ) == (exp.get("lastName"), exp.get("firstName") or None, exp.get("prefix"), exp.get("suffix"))
    if kind in ("biblatex-name-parts", "biblatex-name-to-bbl"):

        def part(key: str) -> str | None:
            v = exp.get(key)
            if isinstance(v, dict):
                v = v.get("string")
            return _plain(v) if v else None

        if name.literal is not None:
            return part("family") == name.literal and part("given") is None
        return (part("family"), part("given"), part("prefix"), part("suffix")) == (
            name.family,
            name.given,
            name.non_dropping_particle,
            name.suffix,
        )
    return None
