"""Required fields per entry type, after the BibTeX and BibLaTeX data models.

The models are written over the record's CSL type and variables, so the same
check serves every input format: BibTeX's ``journal`` is ``container-title``,
``school``/``institution``/``publisher`` are ``publisher``, ``year``/``date``
are ``issued``.  A requirement is a tuple of alternatives (``author`` or
``editor``).  ``title`` is not listed: BC312 reports a missing title for every
type, and one finding per problem is enough.

Sources: the BibTeX manual (btxdoc, "Entry Types") and the biblatex manual
(section 2.1.1, "Regular Types"), where "date" means ``date`` or ``year``.
"""

from __future__ import annotations

from collections.abc import Iterator

from bibconv.diagnostics import Diagnostic
from bibconv.ir import Record
from bibconv.validate.rule import Context, record_rule

Requirement = tuple[str, ...]

_ARTICLE: tuple[Requirement, ...] = (("author",), ("container-title",), ("issued",))
#: CSL's plain ``article`` is a preprint or working paper (CSL 1.0.2), written as
#: BibTeX ``@misc`` (no required fields) and biblatex ``@misc``/``@online``: it has
#: no journal to require, unlike ``article-journal``.
_PREPRINT: tuple[Requirement, ...] = (("author", "editor"), ("issued",))
_ONLINE: Requirement = ("URL", "DOI", "eprint")

BIBTEX: dict[str, tuple[Requirement, ...]] = {
    "article-journal": _ARTICLE,
    "article-magazine": _ARTICLE,
    "article-newspaper": _ARTICLE,
    "book": (("author", "editor"), ("publisher",), ("issued",)),
    "chapter": (("author", "editor"), ("container-title", "page"), ("publisher",), ("issued",)),
    "paper-conference": (("author",), ("container-title",), ("issued",)),
    "thesis": (("author",), ("publisher",), ("issued",)),
    "report": (("author",), ("publisher",), ("issued",)),
    "manuscript": (("author",),),
}

BIBLATEX: dict[str, tuple[Requirement, ...]] = {
    "article": _PREPRINT,
    "article-journal": _ARTICLE,
    "article-magazine": _ARTICLE,
    "article-newspaper": _ARTICLE,
    "book": (("author", "editor"), ("issued",)),
    "collection": (("editor", "author"), ("issued",)),
    "chapter": (("author",), ("container-title",), ("issued",)),
    "paper-conference": (("author",), ("container-title",), ("issued",)),
    "thesis": (("author",), ("publisher",), ("issued",)),
    "report": (("author",), ("publisher",), ("issued",)),
    "manuscript": (("author",), ("issued",)),
    # biblatex's @online: "doi, eprint or url" (section 2.1.1)
    "webpage": (("author", "editor"), ("issued",), _ONLINE),
    "post": (("author", "editor"), ("issued",), _ONLINE),
    "post-weblog": (("author", "editor"), ("issued",), _ONLINE),
    "dataset": (("author", "editor"), ("issued",)),
    "software": (("author", "editor"), ("issued",)),
    "document": (("author", "editor"), ("issued",)),
    "periodical": (("issued",),),
    "patent": (("author",), ("number",), ("issued",)),
}

MODELS: dict[str, dict[str, tuple[Requirement, ...]]] = {"bibtex": BIBTEX, "biblatex": BIBLATEX, "none": {}}

#: How BibTeX names the CSL variables in messages, so users see their own field names.
FIELD_NAMES: dict[str, str] = {
    "container-title": "journal/booktitle (container-title)",
    "issued": "year/date (issued)",
    "publisher": "publisher/school/institution (publisher)",
    "URL": "url (URL)",
    "page": "pages (page)",
    "DOI": "doi",
    "eprint": "eprint",
}


def _has(record: Record, var: str) -> bool:
    if var == "eprint":  # an arXiv eprint is read into ``arxiv``; any other stays a raw field
        return "arxiv" in record.text or "bibtex:eprint" in record.extra
    return var in record.text or bool(record.names.get(var)) or var in record.dates


def is_set(record: Record) -> bool:
    """A record that only groups others (biblatex ``@set``, or an entry with ``entryset``).

    Its members carry the data; the set itself has no fields to require.
    """
    return record.extra.get("bibtex:entrytype") == "set" or "bibtex:entryset" in record.extra


def missing(record: Record, model: str) -> list[Requirement]:
    """The requirements of ``model`` that ``record`` does not meet."""
    if is_set(record):
        return []
    rules = MODELS.get(model, {}).get(record.type, ())
    return [req for req in rules if not any(_has(record, v) for v in req)]


@record_rule("BC302")
def required_fields(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """Every field the entry type's data model requires must be present."""
    for req in missing(record, ctx.model):
        what = " or ".join(FIELD_NAMES.get(v, v) for v in req)
        yield Diagnostic.make("BC302", f"{record.type} ({ctx.model} model) needs {what}")
