"""Compare bibconv's RIS reading with peers' expected output on the fields users see.

Used by tests/test_ris_fixtures.py; kept apart so the comparison rules can be
read (and run by hand) on their own.  Fields: type, title, authors, date,
container, pages, DOI.  A field counts only when at least one side has it;
a date counts only when at least one side found a real date (the Zotero
cases use placeholder text such as "Year" that no side reads as a date).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bibconv.dates import parse_date
from bibconv.ir import Date, Name, Record

FIELDS = ("type", "title", "authors", "date", "container", "pages", "DOI")

#: Zotero item types → CSL types, as Zotero's own CSL export maps them.
ZOTERO_TYPES: dict[str, str] = {
    "artwork": "graphic",
    "audioRecording": "song",
    "bill": "bill",
    "blogPost": "post-weblog",
    "book": "book",
    "bookSection": "chapter",
    "case": "legal_case",
    "computerProgram": "software",
    "conferencePaper": "paper-conference",
    "dataset": "dataset",
    "dictionaryEntry": "entry-dictionary",
    "document": "document",
    "email": "personal_communication",
    "encyclopediaArticle": "entry-encyclopedia",
    "film": "motion_picture",
    "hearing": "hearing",
    "journalArticle": "article-journal",
    "letter": "personal_communication",
    "magazineArticle": "article-magazine",
    "manuscript": "manuscript",
    "map": "map",
    "newspaperArticle": "article-newspaper",
    "patent": "patent",
    "report": "report",
    "statute": "legislation",
    "thesis": "thesis",
    "videoRecording": "motion_picture",
    "webpage": "webpage",
}
#: Zotero's primary creator type of each item type (CSL ``author``).
_PRIMARY = {"author", "director", "artist", "programmer", "inventor", "cartographer", "sponsor", "performer"}
#: Zotero item types with no container field / no page field in Zotero's schema:
#: Zotero moves such a value elsewhere, so the field is not compared for them.
_NO_CONTAINER = {
    "artwork",
    "audioRecording",
    "book",
    "computerProgram",
    "dataset",
    "document",
    "email",
    "film",
    "hearing",
    "letter",
    "manuscript",
    "map",
    "patent",
    "report",
    "thesis",
    "videoRecording",
}
_NO_PAGES = {
    "artwork",
    "audioRecording",
    "blogPost",
    "book",
    "computerProgram",
    "dataset",
    "document",
    "email",
    "film",
    "letter",
    "manuscript",
    "map",
    "thesis",
    "videoRecording",
    "webpage",
}
NOT_APPLICABLE = "n/a"
_ZOTERO_TITLE = ("title", "nameOfAct", "caseName", "subject")
_ZOTERO_CONTAINER = (
    "publicationTitle",
    "bookTitle",
    "proceedingsTitle",
    "websiteTitle",
    "blogTitle",
    "encyclopediaTitle",
    "dictionaryTitle",
    "reporter",
    "code",
)


def _name_key(family: str | None, given: str | None, literal: str | None = None) -> str:
    if literal:
        return literal
    return f"{family or ''}|{given or ''}"


def _our_name(n: Name) -> str:
    family = " ".join(p for p in (n.non_dropping_particle, n.family) if p) or None
    given = " ".join(p for p in (n.given, n.dropping_particle) if p) or None
    if n.literal is not None:
        return n.literal
    if given is None and family is not None:
        return family  # a one-part name: compared as a single field
    return _name_key(family, given)


def _csl_name(n: dict[str, Any]) -> str:
    if "literal" in n:
        return str(n["literal"])
    family = " ".join(str(n[k]) for k in ("non-dropping-particle", "family") if n.get(k)) or None
    given = " ".join(str(n[k]) for k in ("given", "dropping-particle") if n.get(k)) or None
    if given is None and family is not None:
        return family
    return _name_key(family, given)


def _date_key(d: Date | None) -> str | None:
    if d is None:
        return None
    if d.start is None:
        return f"literal:{d.literal}"
    return json.dumps([list(d.start)] + ([list(d.end)] if d.end else []))


def _csl_date(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    if "date-parts" in value:
        rows = [[int(x) for x in row] for row in value["date-parts"]]
        if len(rows) == 2 and rows[0] == rows[1]:
            rows = rows[:1]
        return json.dumps(rows)
    if "raw" in value:
        return _date_key(parse_date(str(value["raw"])) or Date(literal=str(value["raw"])))
    if "literal" in value:
        return f"literal:{value['literal']}"
    return None


def _is_parts(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("[")


def ours(record: Record) -> dict[str, Any]:
    """The compared fields of a bibconv record."""
    return {
        "type": record.type,
        "title": record.text.get("title"),
        "authors": [_our_name(n) for n in record.names.get("author", ())] or None,
        "date": _date_key(record.dates.get("issued")),
        "container": record.text.get("container-title"),
        "pages": record.text.get("page"),
        "DOI": record.text.get("DOI"),
    }


def from_csl(item: dict[str, Any]) -> dict[str, Any]:
    """The compared fields of an expected CSL-JSON item."""
    return {
        "type": item.get("type"),
        "title": item.get("title"),
        "authors": [_csl_name(n) for n in item.get("author", [])] or None,
        "date": _csl_date(item.get("issued")),
        "container": item.get("container-title"),
        "pages": item.get("page"),
        "DOI": item.get("DOI"),
    }


def _zotero_name(c: dict[str, Any]) -> str:
    if "name" in c:
        return str(c["name"])
    if c.get("fieldMode") == 1 or not c.get("firstName"):
        return str(c.get("lastName", ""))
    return _name_key(c.get("lastName"), c.get("firstName"))


def from_zotero(item: dict[str, Any]) -> dict[str, Any]:
    """The compared fields of an expected Zotero item."""
    date = item.get("date") or item.get("dateEnacted") or item.get("dateDecided") or item.get("issueDate")
    date_key = None
    if date:
        date_key = _date_key(parse_date(str(date)) or Date(literal=str(date)))
    return {
        "type": ZOTERO_TYPES.get(item["itemType"], f"zotero:{item['itemType']}"),
        "title": next((item[k] for k in _ZOTERO_TITLE if item.get(k)), None),
        "authors": [_zotero_name(c) for c in item.get("creators", []) if c.get("creatorType") in _PRIMARY]
        or None,
        "date": date_key,
        "container": NOT_APPLICABLE
        if item["itemType"] in _NO_CONTAINER
        else next((item[k] for k in _ZOTERO_CONTAINER if item.get(k)), None),
        "pages": NOT_APPLICABLE
        if item["itemType"] in _NO_PAGES
        else item.get("pages") or item.get("firstPage") or item.get("codePages"),
        "DOI": item.get("DOI") or _doi_from_extra(str(item.get("extra", ""))),
    }


def _doi_from_extra(extra: str) -> str | None:
    """Zotero keeps a DOI of an item type without a DOI field as a ``DOI: …`` line in Extra."""
    for line in extra.split("\n"):
        if line.startswith("DOI: "):
            return line[5:].strip()
    return None


def expected_items(folder: Path, case: str) -> list[dict[str, Any]] | None:
    """The expected items of a case in the compared form, or None when it has no CSL/Zotero answer."""
    csl = folder / f"{case}.json"
    if csl.exists():
        return [from_csl(i) for i in json.loads(csl.read_text(encoding="utf-8"))]
    zot = folder / f"{case}.zotero.json"
    if zot.exists():
        return [from_zotero(i) for i in json.loads(zot.read_text(encoding="utf-8"))]
    return None


def compare(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> tuple[int, list[dict[str, Any]]]:
    """(number of compared fields, the differences) for one case."""
    compared = 0
    diffs: list[dict[str, Any]] = []
    for i in range(max(len(got), len(want))):
        a = got[i] if i < len(got) else {}
        b = want[i] if i < len(want) else {}
        for f in FIELDS:
            x, y = a.get(f), b.get(f)
            if (x is None and y is None) or NOT_APPLICABLE in (x, y):
                continue
            if f == "date" and not _is_parts(x) and not _is_parts(y):
                continue  # neither side found a date: placeholder text is not compared
            compared += 1
            if x != y:
                diffs.append({"record": i, "field": f, "ours": x, "theirs": y})
    return compared, diffs
