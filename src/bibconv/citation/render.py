"""Rendering bibliographies and in-text citations with a cached, fixed style.

The output of this module is "marked" text: plain Unicode with the private-use
formatting markers of :mod:`bibconv.citation.markup`; writers turn it into
text, HTML or Markdown.  A record the processor chokes on becomes a BC402
diagnostic and is left out; the rest of the bibliography is still printed.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bibconv.citation.adapter import SourceMap, build_source
from bibconv.citation.markup import MARK_CLASS, to_text
from bibconv.citation.styles import LoadedStyle, load_style
from bibconv.diagnostics import Diagnostic
from bibconv.errors import BibconvError
from bibconv.ir import Record
from bibconv.progress import Progress
from bibconv.workers import can_fork, worker_init

__all__ = ["Entry", "Rendered", "cite_marked", "polish", "render_bibliography"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One bibliography entry: the record and its marked text."""

    record: Record
    text: str


@dataclass(slots=True)
class Rendered:
    """A rendered bibliography plus what went wrong on the way."""

    entries: list[Entry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    style: LoadedStyle | None = None


_PIQ = re.compile(rf"([\u201d])((?:{MARK_CLASS})*)([.,])")
_PIQ_INNER = re.compile(rf"([\u2019])((?:{MARK_CLASS})*)([.,])")
_CLASH_AFTER_STOP = re.compile(rf"([?!.])((?:{MARK_CLASS}|[\u201d\u2019])+)\.")
_QUESTION_DOT = re.compile(r"([?!])\.")
_SPACES = re.compile(r"[ \t]{2,}")
_SUFFIX_AFTER_STOP = re.compile(rf"(\.(?:{MARK_CLASS})*)\ue0f0")


def polish(text: str, punctuation_in_quote: bool) -> str:
    """Final touches citeproc-js makes and citeproc-py does not.

    Moves ``,`` and ``.`` inside closing quotes when the locale asks for it
    (en-US: ``“Toxicity,”``), drops a period after ``?``/``!`` or after a
    period hidden by formatting (``Why?.`` → ``Why?``), and collapses spaces.
    """
    if punctuation_in_quote:
        text = _PIQ.sub(r"\3\1\2", text)
        if "\u2018" in text:
            text = _PIQ_INNER.sub(r"\3\1\2", text)
    text = _CLASH_AFTER_STOP.sub(r"\1\2", text)
    text = _QUESTION_DOT.sub(r"\1", text)
    if YEAR_SUFFIX_MARK in text:
        text = _SUFFIX_AFTER_STOP.sub(r"\1-", text).replace(YEAR_SUFFIX_MARK, "")
    text = _SPACES.sub(" ", text)
    return text.strip()


class _IndexedKeys(list):  # type: ignore[type-arg]
    """citeproc-py looks up an entry's number with ``keys.index``: O(n) per entry.

    A dict-backed ``index`` makes numbering a large bibliography linear.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        super().__init__(keys)
        self._pos = {k: i for i, k in enumerate(keys)}

    def index(self, key: Any, *args: Any) -> int:
        return self._pos[key]

    def __contains__(self, key: object) -> bool:
        return key in self._pos


_LEAD = re.compile(rf"^((?:{MARK_CLASS})*(?:\[\d+\]|\(\d+\)|\d+\.)?\s*[(\[]?(?:{MARK_CLASS})*)")


def _capitalize_leading_term(text: str, loaded: LoadedStyle) -> str:
    """citeproc-js capitalises a term that opens an entry ("N.d.", "In ...")."""
    lead = _LEAD.match(text)
    start = lead.end() if lead else 0
    rest = text[start:]
    if not rest or not rest[0].islower():
        return text
    for term in loaded.leading_terms:
        if term and rest.startswith(term):
            return text[:start] + rest[0].upper() + rest[1:]
    return text


def _year_of(record: Record) -> str | None:
    date = record.dates.get("issued")
    if date is None:
        return None
    if date.year is not None:
        return str(abs(date.year))
    return date.literal


def _names_key(record: Record) -> tuple[str, ...]:
    for var in ("author", "editor", "translator"):
        names = record.names.get(var)
        if names:
            return tuple((n.literal or f"{n.family}|{n.given}").casefold() for n in names)
    return (to_text(record.text.get("title", "")).casefold()[:40],)


def _insert_suffix(text: str, year: str, suffix: str) -> str:
    """Put ``suffix`` after the first standalone ``year`` (citeproc-js's implicit year-suffix)."""
    m = re.search(rf"(?<!\d){re.escape(year)}(?:[\u2013-]\d{{4}})?(?!\d)", text)
    if m is None:
        return text
    return text[: m.end()] + suffix + text[m.end() :]


def _suffix(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = letters[r] + out
    return out


def _year_suffixes(loaded: LoadedStyle, bib: Any, smap: SourceMap) -> dict[str, str]:
    """citeproc-key → year suffix for items whose citations would be identical.

    Only candidates that share year and names (a cheap pre-filter) have their
    citations rendered, which keeps large bibliographies fast.
    """
    groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for key in bib.keys:
        record = smap.records[key]
        year = _year_of(record)  # None: undated items are disambiguated too ("n.d.-a")
        first = _names_key(record)
        groups[(year, first if loaded.add_names else first[:1])].append(key)
    out: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        by_cite: dict[str, list[str]] = defaultdict(list)
        for key in members:
            by_cite[_cite_text(loaded, bib, key)].append(key)
        for same in by_cite.values():
            if len(same) > 1:
                for n, key in enumerate(same):  # bibliography order
                    out[key] = _suffix(n)
    return out


YEAR_SUFFIX_MARK = "\ue0f0"


def _set_suffixes(smap: SourceMap, suffixes: dict[str, str]) -> None:
    """Give the styles that print ``year-suffix`` themselves something to print.

    A marker precedes the letter so that :func:`polish` can join it the way
    citeproc-js does: ``2001a`` after a year, ``n.d.-a`` after a period.
    """
    from citeproc.string import String

    for key, ref in smap.source.items():
        ref.pop("year_suffix", None)
        if key in suffixes:
            ref["year_suffix"] = String(YEAR_SUFFIX_MARK + suffixes[key])


def _cite_text(loaded: LoadedStyle, bib: Any, key: str) -> str:
    from citeproc import Citation, CitationItem

    citation = Citation([CitationItem(key)])
    citation.bibliography = bib
    try:
        text = loaded.style.render_citation(citation, [], lambda item: None)
    except Exception:
        return f"\0{key}"
    return to_text(str(text)).casefold()


def _prepare(records: Sequence[Record], loaded: LoadedStyle) -> tuple[Any, SourceMap]:
    from citeproc import CitationStylesBibliography

    from bibconv.citation.markup import FORMATTER

    smap = build_source(records)
    from citeproc import Citation

    bib = CitationStylesBibliography(loaded.style, smap.source, FORMATTER)
    # register directly: citeproc-py's register() is quadratic in the item count
    for key in smap.keys:
        item = _item_class()(key)
        citation = Citation([item])
        citation.bibliography = bib
        bib.items.append(item)
    bib.keys = _IndexedKeys(smap.keys)
    return bib, smap


@functools.cache
def _item_class() -> type[Any]:
    from citeproc import CitationItem

    class Item(CitationItem):  # type: ignore[misc]
        """A citation item that looks its reference up once (citeproc-py: on every use).

        A ``cached_property`` keeps it in the instance ``__dict__``, which later
        look-ups read without calling anything (the item's dict items, what
        citeproc-py reads as locator, prefix ..., are not touched).
        """

        @functools.cached_property
        def reference(self) -> Any:
            return self.citation.bibliography.source[self.key]

    return Item


def _sort(bib: Any) -> None:
    bib.items = bib.style.sort_bibliography(bib.items)
    bib.keys = _IndexedKeys([item.key for item in bib.items])


def _fail(record: Record, exc: BaseException, what: str) -> Diagnostic:
    span = record.span
    return Diagnostic.make(
        "BC402",
        f"citation processor failed on this record ({what}): "
        f"{getattr(exc, 'type_name', type(exc).__name__)}: {exc}",
        file=span.file if span else None,
        line=span.line if span else None,
        record_id=record.id,
    )


def render_bibliography(
    records: Sequence[Record],
    style: str = "apa",
    locale: str | None = None,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Rendered:
    """The sorted bibliography of ``records`` in ``style`` as marked text entries.

    With ``jobs > 1`` the entries (once sorted and disambiguated, which needs
    them all) are rendered in that many forked processes, each a contiguous
    run of the list; the result is the same as with one process.
    ``progress("entries", done, total)`` is called in this process as entries
    are rendered (for workers: as their slices come back).
    """
    loaded = load_style(style, locale)
    out = Rendered(style=loaded)
    if not loaded.has_bibliography:
        # note styles without a bibliography: print each record's citation instead
        return _citations_as_entries(records, loaded, out, progress)
    with loaded.lock:
        bib, smap = _prepare(records, loaded)
        try:
            _sort(bib)
        except Exception as exc:  # a sort key the processor cannot build
            out.diagnostics.append(
                Diagnostic.make("BC404", f"bibliography could not be sorted ({type(exc).__name__}: {exc})")
            )
        suffixes = _year_suffixes(loaded, bib, smap) if loaded.add_year_suffix else {}
        _set_suffixes(smap, suffixes)
        items = list(bib.items)
        if jobs > 1 and len(items) >= PARALLEL_MIN_ENTRIES and can_fork():
            raw = _render_parallel(loaded, items, jobs, progress)
        else:
            raw = _render_items(loaded, items, progress)
        substitute = loaded.style.root.bibliography.get("subsequent-author-substitute")
        previous: str | None = None
        for item, (marked, names, error) in zip(items, raw, strict=True):
            record = smap.records[item.key]
            if error is not None:
                out.diagnostics.append(_fail(record, error, "bibliography entry"))
                continue
            if marked is None:
                continue
            if substitute is not None and names and names == previous and names in marked:
                at = marked.index(names) + len(names)
                # "Knuth, Donald E." shared its period with the delimiter; keep one
                keep = "." if names.endswith(".") and not marked[at:].startswith(".") else ""
                marked = marked.replace(names, substitute + keep, 1)
            previous = names
            if item.key in suffixes and not loaded.explicit_year_suffix:
                year = _year_of(record)
                if year:
                    marked = _insert_suffix(marked, year, suffixes[item.key])
            marked = _capitalize_leading_term(marked, loaded)
            out.entries.append(Entry(record, polish(marked, loaded.punctuation_in_quote)))
    return out


#: One rendered entry: the marked text (None: nothing printed), the names it
#: printed first (for subsequent-author-substitute), or the error it raised.
_Raw = tuple[str | None, str | None, Exception | None]

#: Below this many entries rendering stays in one process (forking costs more).
PARALLEL_MIN_ENTRIES = 200


def _render_items(loaded: LoadedStyle, items: Sequence[Any], progress: Progress | None = None) -> list[_Raw]:
    """Each item through the style's bibliography layout, independently of the others."""
    from bibconv.citation.fixes import capture_names, end_capture

    layout = loaded.style.root.bibliography.layout
    out: list[_Raw] = []
    for item in items:
        if progress is not None:
            progress("entries", len(out), len(items))
        box = capture_names()
        try:
            layout.repressed = {}
            text = layout.render_bibliography([item])
        except BibconvError:
            raise
        except Exception as exc:
            out.append((None, None, exc))
            continue
        finally:
            end_capture()
        if not text or text[0] is None:
            out.append((None, None, None))
            continue
        out.append((str(text[0]), box[0] if box else None, None))
    if progress is not None:
        progress("entries", len(out), len(items))
    return out


# Set before forking, so workers inherit the style and items instead of unpickling them.
_WORK: tuple[LoadedStyle, list[Any]] | None = None


def _render_slice(bounds: tuple[int, int]) -> list[_Raw]:
    assert _WORK is not None
    loaded, items = _WORK
    done = _render_items(loaded, items[bounds[0] : bounds[1]])
    # exceptions cross the process boundary as plain errors with the same type name and text
    return [(m, n, _Portable(str(e), type(e).__name__) if e is not None else None) for m, n, e in done]


class _Portable(Exception):
    """An error from a worker (pickled back), keeping the original type's name for the diagnostic."""

    def __init__(self, message: str, type_name: str) -> None:
        super().__init__(message, type_name)
        self.message, self.type_name = message, type_name

    def __str__(self) -> str:
        return self.message


def _render_parallel(
    loaded: LoadedStyle, items: list[Any], jobs: int, progress: Progress | None = None
) -> list[_Raw]:
    """:func:`_render_items` over ``jobs`` forked workers, in order.

    With ``progress``, the work is cut finer (a bar that moves in eight steps
    says little) and slices are counted here as they come back, in order.
    """
    import multiprocessing

    global _WORK
    slices = jobs * (16 if progress is not None else 4)  # a few slices per worker evens out slow entries
    step = -(-len(items) // slices)
    bounds = [(i, min(i + step, len(items))) for i in range(0, len(items), step)]
    _WORK = (loaded, items)
    parts: list[list[_Raw]] = []
    done = 0
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=worker_init) as pool:
            for part in pool.imap(_render_slice, bounds):
                parts.append(part)
                done += len(part)
                if progress is not None:
                    progress("entries", done, len(items))
    finally:
        _WORK = None
    return [raw for part in parts for raw in part]


def _citations_as_entries(
    records: Sequence[Record], loaded: LoadedStyle, out: Rendered, progress: Progress | None = None
) -> Rendered:
    with loaded.lock:
        bib, smap = _prepare(records, loaded)
        for done, key in enumerate(smap.keys):
            if progress is not None:
                progress("entries", done, len(smap.keys))
            record = smap.records[key]
            try:
                text = _render_cite(loaded, bib, [key])
            except Exception as exc:
                out.diagnostics.append(_fail(record, exc, "citation"))
                continue
            out.entries.append(Entry(record, polish(text, loaded.punctuation_in_quote)))
    return out


def _render_cite(loaded: LoadedStyle, bib: Any, keys: Sequence[str]) -> str:
    from citeproc import Citation, CitationItem

    citation = Citation([CitationItem(k) for k in keys])
    citation.bibliography = bib
    return str(loaded.style.render_citation(citation, [], lambda item: None))


def cite_marked(
    records: Sequence[Record],
    keys: Sequence[str] | Sequence[Sequence[str]],
    style: str = "apa",
    locale: str | None = None,
) -> tuple[list[str], list[Diagnostic]]:
    """In-text citations (marked text), one per group of keys, numbered as in the bibliography."""
    loaded = load_style(style, locale)
    groups: list[list[str]] = [[k] if isinstance(k, str) else list(k) for k in keys]
    by_id = {r.id: r for r in records}
    # register cited records first, in order of first citation, so that numeric
    # styles without a sort number them as cited (citeproc-js does the same)
    first = list(dict.fromkeys(k for group in groups for k in group if k in by_id))
    cited = set(first)
    records = [by_id[k] for k in first] + [r for r in records if r.id not in cited]
    diags: list[Diagnostic] = []
    with loaded.lock:
        bib, smap = _prepare(records, loaded)
        if loaded.has_bibliography:
            _sort(bib)
        key_of = {smap.records[k].id: k for k in smap.keys}
        suffixes = _year_suffixes(loaded, bib, smap) if loaded.add_year_suffix else {}
        _set_suffixes(smap, suffixes)
        out: list[str] = []
        for group in groups:
            missing = [k for k in group if k not in by_id]
            for k in missing:
                diags.append(Diagnostic.make("BC405", f"no record with key {k!r} to cite", record_id=k))
            present = [key_of[k] for k in group if k in key_of]
            if not present:
                out.append("")
                continue
            try:
                text = _render_cite(loaded, bib, present)
            except Exception as exc:
                diags.append(_fail(by_id[group[0]], exc, "citation"))
                out.append("")
                continue
            for key in present:
                if key in suffixes and not loaded.explicit_year_suffix:
                    year = _year_of(smap.records[key])
                    if year:
                        text = _insert_suffix(text, year, suffixes[key])
            out.append(polish(text, loaded.punctuation_in_quote))
    return out, diags
