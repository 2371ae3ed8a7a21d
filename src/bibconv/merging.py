"""Merging records of the same paper, e.g. read from several listings.

The same paper shows up in different listings with different parts of its
metadata: the title and authors in a feed, the arXiv id, DOI and journal
reference in an arXiv listing, only the abstract in an abstract list.
:func:`merge` finds the records of one paper and combines them.

**Matching**, in order of reliability; each stage joins groups of records:

1. the same publisher DOI;
2. the same arXiv id (also read from an arXiv DOI ``10.48550/arXiv.ID`` or an
   ``arxiv.org/abs`` URL);
3. the same normalised title (:func:`bibconv.identifiers.normalise_title`),
   unless both records have abstracts that share almost nothing;
4. abstract overlap: the *containment* of word 5-shingles, ``|A ∩ B| /
   min(|A|, |B|)``, at least :data:`ABSTRACT_THRESHOLD` with at least
   :data:`MIN_SHARED` shared shingles.  Containment, not Jaccard, because a
   listing may cut an abstract short, and a newer version adds or rewrites
   sentences while keeping long runs of words; unrelated abstracts share
   almost no run of five words (see ``tests/test_merging.py`` for the
   measured separation).  Pairs are joined best first.

**Never on one identifier against everything else:** two records that share a
DOI or arXiv id but differ in at least two of title, first author, year and
container, with none agreeing, are kept apart and reported (``BC213``).

**No transitive false merges:** two groups are never joined when they carry
different arXiv ids or different publisher DOIs, and an abstract match is
refused when both groups have titles that are clearly different (token
Jaccard below :data:`TITLE_SIMILAR`) or when some abstract of one group
shares almost nothing (containment below :data:`LINK_MIN`) with some
abstract of the other: "Gemini" and "Gemini 1.5" stay apart even if a chain
of abstracts tried to join them, and so do abstract-only records, which have
no title to guard them.

**Combining**, members ranked by authority (has an identifier, has a title,
number of fields, input order):

* ``author``: a complete list beats a truncated one (``et al.``), then the
  longer list, then authority;
* ``issued``: dates whose year was guessed (feed ``Mar 26``) lose; then the
  most precise; then the earliest (the first submission);
* ``DOI``: a publisher DOI beats the arXiv DOI;
* ``abstract``: the newest version, which listings do not date; the proxy is
  the longest abstract that ends like a sentence (listings cut abstracts off
  mid-word; arXiv revisions usually grow);
* ``URL``: an ``arxiv.org/abs`` or ``doi.org`` page beats a code link; the
  others are kept in ``extra['merge:URL']``;
* ``type``: a specific type (``paper-conference``) beats ``article``;
* everything else: the first value in authority order.

Every merge is reported (``BC208``, info: which records and why) and every
disagreement on a field (``BC209``, warning: which value was kept).  A merged
record keeps a key someone chose; generated keys are made again from the
combined data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bibconv.diagnostics import Diagnostic
from bibconv.identifiers import normalise_arxiv, normalise_doi, normalise_title
from bibconv.ir import Date, Name, Record
from bibconv.keys import make_key, unique_keys
from bibconv.richtext import to_plain

__all__ = [
    "ABSTRACT_THRESHOLD",
    "MergeResult",
    "abstract_overlap",
    "merge",
    "merge_records",
    "shingles",
]

#: Word n-gram length for abstract comparison.
SHINGLE = 5
#: Minimum containment for two abstracts to be versions of one.
ABSTRACT_THRESHOLD = 0.3
#: … and the minimum number of shared shingles (guards very short texts).
MIN_SHARED = 8
#: Titles with token Jaccard at least this are "the same title" for the guard.
TITLE_SIMILAR = 0.5
#: When groups join by abstract, every cross pair of abstracts must overlap this much.
LINK_MIN = 0.1
#: A shingle in more records than this is boilerplate and ignored for matching.
MAX_POSTING = 50
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.", re.IGNORECASE)
_ARXIV_URL = re.compile(r"https?://(?:www\.)?arxiv\.org/abs/(\S+)", re.IGNORECASE)
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class MergeResult:
    """The merged records, the merge report, and which inputs became which output."""

    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: For each output record, the indices of the input records it combines.
    groups: list[list[int]] = field(default_factory=list)


def shingles(text: str, size: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    """The set of word ``size``-grams of ``text`` (markup removed, case folded)."""
    words = _WORD.findall(to_plain(text).casefold())
    if len(words) < size:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def _containment(sa: frozenset[tuple[str, ...]], sb: frozenset[tuple[str, ...]]) -> float:
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def abstract_overlap(a: str, b: str) -> float:
    """Containment of ``a``'s and ``b``'s shingle sets (0.0–1.0)."""
    return _containment(shingles(a), shingles(b))


def _title_tokens(title: str) -> frozenset[str]:
    return frozenset(normalise_title(to_plain(title)).split())


def _titles_similar(a: str, b: str) -> bool:
    ta, tb = _title_tokens(a), _title_tokens(b)
    if not ta or not tb:
        return True
    return len(ta & tb) / len(ta | tb) >= TITLE_SIMILAR


@dataclass(slots=True)
class _Keys:
    arxiv: str | None
    doi: str | None  # publisher DOI only
    title: str | None
    title_raw: str | None
    shingles: frozenset[tuple[str, ...]]


def _keys(r: Record) -> _Keys:
    arxiv = normalise_arxiv(r.text["arxiv"]) if r.text.get("arxiv") else None
    doi = normalise_doi(r.text["DOI"]) if r.text.get("DOI") else None
    if doi and _ARXIV_DOI.match(doi):
        arxiv = arxiv or normalise_arxiv(doi)
        doi = None
    url = r.text.get("URL")
    if arxiv is None and url:
        m = _ARXIV_URL.match(url)
        if m:
            arxiv = normalise_arxiv(m.group(1))
    title_raw = r.text.get("title")
    title = normalise_title(to_plain(title_raw)) if title_raw else None
    abstract = r.text.get("abstract")
    return _Keys(arxiv, doi, title or None, title_raw, shingles(abstract) if abstract else frozenset())


class _Groups:
    """Union-find whose groups remember their identifiers, titles and join reasons."""

    def __init__(self, keys: list[_Keys]) -> None:
        self.parent = list(range(len(keys)))
        self.arxiv = [{k.arxiv} - {None} for k in keys]
        self.doi = [{k.doi} - {None} for k in keys]
        self.titles = [[k.title_raw] if k.title_raw else [] for k in keys]
        self.members = [[i] for i in range(len(keys))]
        self.keys = keys
        self.reasons: dict[int, list[str]] = defaultdict(list)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def compatible(self, a: int, b: int, *, check_titles: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if self.arxiv[ra] and self.arxiv[rb] and not self.arxiv[ra] & self.arxiv[rb]:
            return False
        if self.doi[ra] and self.doi[rb] and not self.doi[ra] & self.doi[rb]:
            return False
        if check_titles and self.titles[ra] and self.titles[rb]:
            return any(_titles_similar(x, y) for x in self.titles[ra] for y in self.titles[rb])
        return True

    def abstracts_agree(self, a: int, b: int) -> bool:
        """Every abstract of one group overlaps every abstract of the other at least a little.

        Stops chains through a hybrid text (an abstract that quotes one paper and
        goes on like another), which titles cannot stop when records have none.
        """
        left = [self.keys[i].shingles for i in self.members[self.find(a)] if self.keys[i].shingles]
        right = [self.keys[i].shingles for i in self.members[self.find(b)] if self.keys[i].shingles]
        return all(_containment(x, y) >= LINK_MIN for x in left for y in right)

    def union(self, a: int, b: int, reason: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.arxiv[ra] |= self.arxiv[rb]
        self.doi[ra] |= self.doi[rb]
        self.titles[ra] += self.titles[rb]
        self.members[ra] += self.members[rb]
        self.reasons[ra] += [*self.reasons.pop(rb, []), reason]
        return True


def _where(r: Record) -> str:
    span = r.span
    if span is None or (span.file is None and span.line is None):
        return r.id
    return f"{span.file or '<input>'}:{span.line}"


def _evidence(a: Record, b: Record) -> tuple[list[str], int]:
    """What two records disagree on (title, first author, year, container) and how much agrees.

    Only what both records have counts; a year one apart agrees (a preprint
    and its publication), as does a title of the same words.
    """
    differ: list[str] = []
    agree = 0
    ta, tb = a.text.get("title"), b.text.get("title")
    if ta and tb:
        if _titles_similar(ta, tb):
            agree += 1
        else:
            differ.append("title")
    fa, fb = _first_family(a), _first_family(b)
    if fa and fb:
        if fa == fb:
            agree += 1
        else:
            differ.append("first author")
    ya, yb = a.dates.get("issued"), b.dates.get("issued")
    if ya is not None and yb is not None and ya.year is not None and yb.year is not None:
        if abs(ya.year - yb.year) <= 1:
            agree += 1
        else:
            differ.append("year")
    ca, cb = a.text.get("container-title"), b.text.get("container-title")
    if ca and cb:
        if _titles_similar(ca, cb):
            agree += 1
        else:
            differ.append("container")
    return differ, agree


def _first_family(r: Record) -> str:
    for var in ("author", "editor"):
        names = r.names.get(var)
        if names:
            n = names[0]
            return normalise_title(to_plain(n.family or n.literal or ""))
    return ""


def _join_equal(
    groups: _Groups,
    records: Sequence[Record],
    values: list[str | None],
    label: str,
    check_titles: bool,
    refused: list[Diagnostic] | None = None,
) -> None:
    """Join records with the same identifier, unless everything else about them disagrees.

    One identifier is strong evidence but not proof: exports carry copied or
    mistyped DOIs.  Two records that share it while at least two of title,
    first author, year and container differ and none agrees stay apart, and
    the conflict is reported (BC213) naming both.
    """
    first: dict[str, int] = {}
    for i, v in enumerate(values):
        if v is None:
            continue
        if v not in first:
            first[v] = i
            continue
        j = first[v]
        differ, agree = _evidence(records[j], records[i])
        if len(differ) >= 2 and agree == 0:
            if refused is not None:
                span = records[i].span
                refused.append(
                    Diagnostic.make(
                        "BC213",
                        f"{records[i].id!r} ({_where(records[i])}) and {records[j].id!r} "
                        f"({_where(records[j])}) share {label} {v} but differ in "
                        f"{', '.join(differ)}; not merged (check the {label})",
                        file=span.file if span else None,
                        line=span.line if span else None,
                        record_id=records[i].id,
                    )
                )
            continue
        if groups.compatible(j, i, check_titles=check_titles):
            groups.union(j, i, f"{_where(records[i])} matches {_where(records[j])} by {label} {v}")


def _abstract_pairs(keys: list[_Keys]) -> list[tuple[float, int, int]]:
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        for s in k.shingles:
            postings[s].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for ids in postings.values():
        if len(ids) < 2 or len(ids) > MAX_POSTING:
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                shared[(ids[x], ids[y])] += 1
    pairs = []
    for (i, j), n in shared.items():
        if n < MIN_SHARED:
            continue
        score = n / min(len(keys[i].shingles), len(keys[j].shingles))
        if score >= ABSTRACT_THRESHOLD:
            pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def _complete(text: str) -> bool:
    return to_plain(text).rstrip().endswith((".", "!", "?", ")", '"', "”"))


class _Combiner:
    """Combines one group's records into one, noting conflicts."""

    def __init__(self, members: list[Record]) -> None:
        self.members = members
        self.conflicts: list[str] = []
        self.issued_from: Record | None = None

    def conflict(self, var: str, kept: str, others: Iterable[str]) -> None:
        dropped = [o for o in dict.fromkeys(others) if o != kept]
        if dropped:
            shown = "; ".join(repr(d[:80]) for d in dropped)
            self.conflicts.append(f"{var}: kept {kept[:80]!r}, not {shown}")

    def text(self) -> tuple[dict[str, str], dict[str, str]]:
        text: dict[str, str] = {}
        extra: dict[str, str] = {}
        seen = [v for r in self.members for v in r.text]
        for var in dict.fromkeys(seen):
            values = [(r, r.text[var]) for r in self.members if var in r.text]
            if var == "abstract":
                ranked = sorted(
                    values, key=lambda rv: (not _complete(rv[1]), -len(rv[1]), self.members.index(rv[0]))
                )
                text[var] = ranked[0][1]
            elif var == "DOI":
                ranked = sorted(values, key=lambda rv: bool(_ARXIV_DOI.match(rv[1])))
                text[var] = ranked[0][1]
                kept_doi = normalise_doi(text[var]) or text[var]
                publisher = [v for _, v in values if not _ARXIV_DOI.match(v)]
                self.conflict("DOI", text[var], [v for v in publisher if (normalise_doi(v) or v) != kept_doi])
            elif var == "URL":
                ranked = sorted(
                    values, key=lambda rv: not re.match(r"https?://(?:arxiv\.org/abs|doi\.org)/", rv[1])
                )
                text[var] = ranked[0][1]
                others = [v for _, v in ranked[1:] if v != text[var]]
                if others:
                    extra["merge:URL"] = " ".join(dict.fromkeys(others))
            elif var == "title":
                text[var] = values[0][1]
                kept = normalise_title(to_plain(values[0][1]))
                differing = [v for _, v in values if normalise_title(to_plain(v)) != kept]
                self.conflict("title", values[0][1], differing)
            else:
                text[var] = values[0][1]
                self.conflict(var, values[0][1], [v for _, v in values])
        return text, extra

    def authors(self) -> tuple[dict[str, tuple[Name, ...]], set[str]]:
        names: dict[str, tuple[Name, ...]] = {}
        truncated: set[str] = set()
        for var in dict.fromkeys(v for r in self.members for v in r.names):
            options = [r for r in self.members if r.names.get(var)]
            best = min(
                options,
                key=lambda r: (var in r.truncated, -len(r.names[var]), self.members.index(r)),
            )
            names[var] = best.names[var]
            if var in best.truncated:
                truncated.add(var)
            firsts = [r.names[var][0].display() for r in options]
            self.conflict(f"first {var}", best.names[var][0].display(), firsts)
        return names, truncated

    def dates(self) -> dict[str, Date]:
        out: dict[str, Date] = {}
        for var in dict.fromkeys(v for r in self.members for v in r.dates):
            options = [r for r in self.members if var in r.dates]

            def rank(r: Record, var: str = var) -> tuple[bool, int, tuple[int, ...], int]:
                d = r.dates[var]
                guessed = var == "issued" and "feed:date" in r.extra
                return (guessed, -len(d.start or ()), d.start or (9999,), self.members.index(r))

            best = min(options, key=rank)
            if var == "issued":
                self.issued_from = best
            out[var] = best.dates[var]
            self.conflict(var, _show(out[var]), [_show(r.dates[var]) for r in options])
        return out

    def combine(self, new_id: str) -> Record:
        text, extra_urls = self.text()
        names, truncated = self.authors()
        dates = self.dates()
        types = [r.type for r in self.members if r.type != "article"]
        extra: dict[str, str] = {}
        for r in self.members:
            for k, v in r.extra.items():
                if k == "feed:date" and (self.issued_from is None or k not in self.issued_from.extra):
                    continue  # the kept date was not completed from a reference date
                extra.setdefault(k, v)
        extra.update(extra_urls)
        rtype = types[0] if types else self.members[0].type
        self.conflict("type", rtype, types)
        if rtype != "article" and text.get("publisher") == "arXiv":
            # publisher arXiv / number arXiv:ID describe the preprint, not the published version
            text.pop("publisher")
            if text.get("number", "").startswith("arXiv:"):
                text.pop("number")
        return Record(
            id=new_id,
            type=rtype,
            text=text,
            names=names,
            dates=dates,
            extra=extra,
            truncated=frozenset(truncated),
            span=self.members[0].span,
        )


def _show(d: Date) -> str:
    if d.start is None:
        return d.literal or ""
    return "-".join(str(p) for p in d.start)


def _authority(r: Record, index: int) -> tuple[int, int, int, int]:
    has_id = bool(r.text.get("arxiv") or r.text.get("DOI"))
    size = len(r.text) + len(r.names) + len(r.dates)
    return (-int(has_id), -int(bool(r.text.get("title"))), -size, index)


def _generated(r: Record) -> bool:
    """True when ``r.id`` is what :func:`make_key` gives (perhaps made unique with a/b/c)."""
    auto = make_key(r)
    return r.id == auto or re.fullmatch(re.escape(auto) + r"[a-z]{1,2}", r.id) is not None


def _merged_key(merged: Record, members: list[Record]) -> str:
    """The key of a merged record.

    A key someone chose (a BibTeX key that is not the generated pattern) is
    kept, so existing citations still resolve; generated keys are made again
    from the combined data, which is better than any one listing's (a real
    year instead of a guessed one, an author where a listing had none).
    """
    for m in members:
        if (m.names.get("author") or m.text.get("title")) and not _generated(m):
            return m.id
    if not merged.names.get("author") and not merged.text.get("title"):
        return f"arXiv:{merged.text['arxiv']}" if merged.text.get("arxiv") else members[0].id
    return make_key(merged)


def merge(records: Sequence[Record]) -> MergeResult:
    """Combine records of the same paper; see the module docstring for the rules."""
    records = list(records)
    keys = [_keys(r) for r in records]
    groups = _Groups(keys)
    refused: list[Diagnostic] = []
    _join_equal(groups, records, [k.doi for k in keys], "DOI", check_titles=False, refused=refused)
    _join_equal(groups, records, [k.arxiv for k in keys], "arXiv id", check_titles=False, refused=refused)
    by_title: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if k.title is None:
            continue
        for j in by_title[k.title]:
            if groups.find(i) == groups.find(j):
                break
            a, b = keys[i].shingles, keys[j].shingles
            if a and b and _containment(a, b) < 0.05:
                continue  # same title, unrelated abstracts: a generic title, not the same paper
            if groups.compatible(j, i, check_titles=False):
                groups.union(j, i, f"{_where(records[i])} matches {_where(records[j])} by title")
                break
        by_title[k.title].append(i)
    for score, i, j in _abstract_pairs(keys):
        if (
            groups.find(i) != groups.find(j)
            and groups.compatible(i, j, check_titles=True)
            and groups.abstracts_agree(i, j)
        ):
            groups.union(
                i, j, f"{_where(records[j])} matches {_where(records[i])} by abstract overlap {score:.2f}"
            )
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        members[groups.find(i)].append(i)
    result = MergeResult()
    ordered = sorted(members.items(), key=lambda kv: kv[1][0])
    out: list[Record] = []
    reports: list[tuple[list[int], list[str], list[str]]] = []
    for root, idx in ordered:
        if len(idx) == 1:
            out.append(records[idx[0]])
            reports.append((idx, [], []))
            continue
        ranked = sorted(idx, key=lambda i: _authority(records[i], i))
        combiner = _Combiner([records[i] for i in ranked])
        merged = combiner.combine("tmp")
        # the record points at the first of its sources in input order
        merged = merged.evolve(id=_merged_key(merged, combiner.members), span=records[idx[0]].span)
        out.append(merged)
        reports.append((idx, groups.reasons.get(root, []), combiner.conflicts))
    final_keys = unique_keys(r.id for r in out)
    diags: list[Diagnostic] = []
    for r, key, (idx, reasons, conflicts) in zip(out, final_keys, reports):
        file = r.span.file if r.span else None
        line = r.span.line if r.span else None
        if key != r.id and len(idx) == 1:
            diags.append(
                Diagnostic.make(
                    "BC211", f"key {r.id!r} changed to {key!r} after merging", file=file, line=line
                )
            )
        result.records.append(r.evolve(id=key))
        result.groups.append(idx)
        if len(idx) > 1:
            sources = ", ".join(_where(records[i]) for i in idx)
            diags.append(
                Diagnostic.make(
                    "BC208",
                    f"merged {len(idx)} records into {key} ({sources}): " + "; ".join(reasons),
                    file=file,
                    line=line,
                    record_id=key,
                )
            )
            diags.extend(
                Diagnostic.make(
                    "BC209", f"records merged into {key} disagree on {c}", file=file, line=line, record_id=key
                )
                for c in conflicts
            )
    result.diagnostics = refused + diags
    return result


#: The name ``bibconv.api.convert`` and older callers use.
merge_records = merge
