"""Personal names in CSL: initials, part order, sort keys, delimiters and et-al.

The rules follow the CSL 1.0.2 specification with citeproc-js's reading of the open
details, because formatted names are compared with what Zotero prints:

* **Initials** (:func:`initialize`): each given-name word that starts with an
  upper-case letter becomes its initial plus ``initialize-with``; a hyphen between
  words is kept (``Hans-Thomas`` → ``H.-T.``) unless ``initialize-with-hyphen`` is
  false (``H.T.``); a part already abbreviated with a period keeps its letters
  (``Wm.``, ``Th.``); words starting lower case (particles such as ``de``) stay
  whole, and so does every word of a script without letter case (Han, Hangul, Kana,
  Arabic, Hebrew, Thai …), which has no initials.  With ``initialize="false"`` only
  existing initials are re-punctuated (``M.E`` → ``M. E.``).
* **Order** (:func:`layout`): Latin-like names print ``given family`` or, inverted,
  ``family, given``; names whose family part has no Latin-like letters print
  ``familygiven`` with no space (``林秀贞``); a family name in such a script with a
  Latin given name, and items in Japanese or Chinese, print ``family given``.  The
  non-dropping particle goes with the family name unless
  ``demote-non-dropping-particle`` moves it after the given name in inverted names.
* **Sort keys** (:func:`sort_key`): family (with the non-dropping particle unless
  demoted), then given name with particles, then suffix, as separate fields.
* **Delimiters and et-al**: :func:`delimiter_before_last`, :func:`delimiter_before_et_al`
  and :func:`et_al_plan` implement the contextual/after-inverted-name/always/never
  rules and et-al-min/use-first/use-last, including lists marked truncated in the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bibconv.ir import Name

__all__ = [
    "EtAlPlan",
    "NameLayout",
    "delimiter_before_et_al",
    "delimiter_before_last",
    "et_al_limits",
    "et_al_plan",
    "initialize",
    "is_inverted",
    "layout",
    "name_script",
    "sort_key",
    "split_particles",
]

# Characters citeproc-js calls "romanesque": Latin, Greek, Cyrillic, Hebrew, Arabic, Thai
# and digits.  A name without any of them in its family part is written family-first
# with no space.
_ROMANESQUE = re.compile(
    "[-0-9a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218-\u021b\u202a-\u202e]"
)
_STARTS_ROMANESQUE = re.compile(
    "^[&a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218-\u021b\u202a-\u202e]"
)
_LEADING_TAGS = re.compile(r"^(?:<[^>]+>)*")
_SPACES = re.compile(r"\s+")
_HYPHEN_SPACES = re.compile(r"\s*-\s*")
_LOWER_AFTER_HYPHEN = re.compile(r"-(?=[a-z])")
_PERIOD_JOINED = re.compile(r"\.(?=[^ ])")
_NAME_TAG = r"</?(?:i|b|sc|sub|sup)>|<span[^>]*>|</span>"
# words are separated by spaces, hyphens and in-field markup tags (which stay in the separator)
_WORD_SPLIT = re.compile(rf"((?:[-\s]*(?:{_NAME_TAG})[-\s]*)+|[-\s]+)")
_TAG_ONLY = re.compile(_NAME_TAG)
_TRAILING_WS = re.compile(r"(\s+)$")
_TRAILING_SPACE = re.compile("[\t\n\x0b\x0c\r \ufeff\u00a0]+$")
_LETTERS = re.compile(r"[^\W\d_]*")
_PROTECTED_HYPHEN = "\u2013"
_NO_INITIALS: Final = frozenset(["Lord", "Lady"])


def _words(given: str, hyphen: bool) -> list[str]:
    """Given-name words and the separators between them (even/odd positions)."""
    if not hyphen:
        given = given.replace("-", " ")
    given = _SPACES.sub(" ", _HYPHEN_SPACES.sub("-", given))
    # a hyphen before a lower-case letter joins one word ("Jean-baptiste")
    given = _LOWER_AFTER_HYPHEN.sub(_PROTECTED_HYPHEN, given)
    if "." in given[:-1]:
        given = given[:-1].replace(". ", ".").replace(".", ". ") + given[-1]
        given = _SPACES.sub(" ", given)
    return _WORD_SPLIT.split(given.strip())


def _merge_tags(separator: str, text: str) -> str:
    """``text`` (a terminator) placed into ``separator``, keeping the separator's markup tags.

    ``("</b> ", ". ")`` → ``.</b> ``: the period goes inside the closing tag, as in
    ``<b>J.</b> Q.``.
    """
    tags = "".join(_TAG_ONLY.findall(separator))
    if not tags:
        return text
    m = _TRAILING_WS.search(text)
    if m is None:
        return text + tags
    return text[: m.start()] + tags + m.group(1)


def _finish(parts: list[str]) -> str:
    out = _TRAILING_SPACE.sub("", "".join(parts)).lstrip(" ")
    out = _SPACES.sub(" ", _HYPHEN_SPACES.sub("-", out))
    return out.replace(_PROTECTED_HYPHEN, "-")


def initialize(given: str, initialize_with: str, *, initialize: bool = True, hyphen: bool = True) -> str:
    """The given name as initials ending in ``initialize_with`` (CSL ``initialize-with``).

    ``initialize=False`` keeps full words and only re-punctuates parts that already
    are initials; ``hyphen=False`` is ``initialize-with-hyphen="false"``.  Examples:
    ``("Hans-Thomas", ". ")`` → ``H.-T.``; ``("John Ronald Reuel", ".")`` → ``J.R.R.``;
    ``("Jean de", ". ")`` → ``J. de``; ``("秀贞", ". ")`` → ``秀贞``;
    ``("John M.E.", " ", initialize=False)`` → ``John M E``.
    """
    if not given or given in _NO_INITIALS:
        return given
    if not _STARTS_ROMANESQUE.match(_LEADING_TAGS.sub("", given)):
        return given
    parts = _words(given, hyphen)
    if not initialize:
        return _normalise(parts, initialize_with)
    last = len(parts) - 1
    for i in range(0, len(parts), 2):
        word = parts[i]
        if not word:
            continue
        first = word[0]
        if first.isupper():
            rest = _LETTERS.match(word, 1)
            letters = rest.group() if rest else ""
            after = word[1 + len(letters) :]
            if letters and after.startswith("."):
                initial = first + letters  # an abbreviation such as "Wm." keeps its letters
            else:
                caps = len(letters) - len(letters.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
                initial = first + (letters[:caps].lower() if 0 < caps < len(letters) else "")
            parts[i] = initial
            if i < last:
                sep = parts[i + 1]
                hyphenated = "-" in _TAG_ONLY.sub("", sep)
                parts[i + 1] = _merge_tags(sep, initialize_with) + ("-" if hyphenated else "")
            else:
                parts.append(initialize_with)
        else:
            parts[i] = " " + word  # particles and caseless scripts stay whole
    return _finish(parts)


def _normalise(parts: list[str], terminator: str) -> str:
    abbrev: list[bool] = []
    for i in range(0, len(parts), 2):
        word = parts[i]
        if len(word) > 1 and word.endswith("."):
            head, _, tail = word.rpartition(".")
            parts[i] = head + tail
            abbrev.append(True)
        else:
            abbrev.append(len(word) == 1 and word.upper() == word and word.lower() != word)
    last = len(parts) - 1
    for k, is_abbrev in enumerate(abbrev):
        i = 2 * k
        if not is_abbrev:
            continue
        if i < last:
            nxt = parts[i + 2]
            sep = parts[i + 1]
            tags = "".join(_TAG_ONLY.findall(sep))
            if tags:
                sep = tags
            if not abbrev[k + 1]:
                sep += " "
            if len(nxt) > 1:
                parts[i + 1] = terminator.rstrip("\ufeff") + sep
            else:
                parts[i + 1] = _merge_tags(sep, terminator)
        else:
            parts[i] = parts[i] + terminator
    return _finish(parts)


# ------------------------------------------------------------------------------- order


def name_script(name: Name, language: str | None = None) -> int:
    """How a name is ordered: 0 no Latin-like letters (``familygiven``), 1 family first, 2 Latin order.

    1 covers a non-Latin family name with a Latin given name and any name of an item
    whose ``language`` is Japanese or Chinese.
    """
    family = (name.family or "").replace('"', "")
    if not _ROMANESQUE.search(family):
        return 1 if name.given and _STARTS_ROMANESQUE.match(name.given) else 0
    if language and language[:2].lower() in ("ja", "zh"):
        return 1
    return 2


@dataclass(frozen=True, slots=True)
class NameLayout:
    """A personal name in print order.

    ``parts`` are ``(kind, text)`` pairs where kind is ``given``, ``dropping``,
    ``non-dropping``, ``family``, ``suffix`` or ``""`` for a separator.  The core formats
    ``given``/``dropping`` with the ``cs:name-part name="given"`` formatting and
    ``family``/``non-dropping`` with the family one; the name-part affixes go around
    ``parts[given_span[0]:given_span[1]]`` and ``parts[family_span[0]:family_span[1]]``.
    """

    parts: tuple[tuple[str, str], ...]
    family_span: tuple[int, int] | None
    given_span: tuple[int, int] | None
    inverted: bool

    def text(self) -> str:
        """The name as plain text (no name-part formatting)."""
        return "".join(t for _, t in self.parts)


def _joins_without_space(particle: str) -> bool:
    return particle[-1:] in ("\u2019", "'", "-", " ", "\u02bc")


class _Builder:
    __slots__ = ("family_span", "given_span", "parts")

    def __init__(self) -> None:
        self.parts: list[tuple[str, str]] = []
        self.family_span: tuple[int, int] | None = None
        self.given_span: tuple[int, int] | None = None

    def sep(self, text: str) -> None:
        if text and self.parts:
            self.parts.append(("", text))

    def group(self, items: list[tuple[str, str]], joiners: list[str], which: str) -> None:
        """Append non-empty ``items`` joined by ``joiners[k]`` (before item k) and record their span."""
        start = len(self.parts)
        first = True
        for (kind, text), joiner in zip(items, joiners):
            if not text:
                continue
            if not first:
                self.parts.append(("", joiner))
            self.parts.append((kind, text))
            first = False
        if len(self.parts) > start:
            span = (start, len(self.parts))
            if which == "family":
                self.family_span = span
            else:
                self.given_span = span


def is_inverted(name_as_sort_order: str | None, index: int) -> bool:
    """Whether the ``index``-th name of a list is inverted by ``name-as-sort-order`` (``first``/``all``)."""
    return name_as_sort_order == "all" or (name_as_sort_order == "first" and index == 0)


def layout(
    name: Name,
    *,
    inverted: bool = False,
    given: str | None = None,
    short: bool = False,
    demote: str = "display-and-sort",
    sort_separator: str = ", ",
    language: str | None = None,
    particle_space: str = " ",
    given_space: str = " ",
) -> NameLayout:
    """The parts of a personal name in display order.

    ``given`` replaces the name's given part (pass the initialised one; ``None`` keeps
    the name's own); ``short`` is ``form="short"``: particle and family name only.
    ``demote`` is ``demote-non-dropping-particle``; ``particle_space`` is the space
    between a particle and the family name (citeproc-js uses a no-break space for
    French, Russian and Czech default locales); ``given_space`` the one between
    given and family name (a no-break space when ``initialize-with`` holds one).
    Example: ``layout(Name(family="Gogh", given="Vincent", non_dropping_particle="van"),
    inverted=True, demote="never").text()`` → ``van Gogh, Vincent``.
    """
    family = name.family or ""
    ndp = name.non_dropping_particle or ""
    dp = name.dropping_particle or ""
    suffix = name.suffix or ""
    given_text = (name.given or "") if given is None else given
    script = name_script(name, language)
    out = _Builder()
    ndp_join = "" if ndp and _joins_without_space(ndp) else particle_space
    if short:
        if script == 0:
            out.group([("non-dropping", ndp), ("family", family)], ["", ""], "family")
        else:
            out.group([("non-dropping", ndp), ("family", family)], ["", ndp_join], "family")
        return NameLayout(tuple(out.parts), out.family_span, None, False)
    if script == 0:
        out.group([("non-dropping", ndp), ("family", family)], ["", ""], "family")
        out.group([("given", given_text)], [""], "given")
        return NameLayout(tuple(out.parts), out.family_span, out.given_span, False)
    if script == 1 or name.static_ordering:
        out.group([("non-dropping", ndp), ("family", family)], ["", particle_space], "family")
        if given_text:
            out.sep(" ")
            out.group([("given", given_text)], [""], "given")
        return NameLayout(tuple(out.parts), out.family_span, out.given_span, False)
    if inverted:
        sep = ", " if given_text in _NO_INITIALS else sort_separator
        if demote == "display-and-sort":
            out.group([("family", family)], [""], "family")
            if given_text or dp or ndp:
                out.sep(sep)
                out.group(
                    [("given", given_text), ("dropping", dp), ("non-dropping", ndp)], ["", " ", " "], "given"
                )
        else:
            out.group([("non-dropping", ndp), ("family", family)], ["", ndp_join], "family")
            if given_text or dp:
                out.sep(sep)
                out.group([("given", given_text), ("dropping", dp)], ["", " "], "given")
        if suffix:
            out.sep(sep)
            out.parts.append(("suffix", suffix))
        return NameLayout(tuple(out.parts), out.family_span, out.given_span, True)
    # given-first order
    if given_text:
        out.group([("given", given_text)], [""], "given")
        out.sep(given_space)
    glue_dp = bool(dp and not ndp and dp[-1:] in ("'", "\u02bc", "\u2019", "-") and dp[:-1] != "de")
    out.group(
        [("dropping", dp), ("non-dropping", ndp), ("family", family), ("suffix", suffix)],
        [
            "",
            particle_space,
            "" if glue_dp else ndp_join if ndp else particle_space,
            ", " if name.comma_suffix else " ",
        ],
        "family",
    )
    return NameLayout(tuple(out.parts), out.family_span, out.given_span, False)


def sort_key(name: Name, demote: str = "display-and-sort") -> tuple[str, str, str]:
    """``(family part, given part, suffix)`` for sorting by a name (``name-as-sort-order``).

    With ``demote-non-dropping-particle`` ``sort-only`` or ``display-and-sort`` the
    non-dropping particle moves to the given part (``Gogh`` / ``Vincent van``); with
    ``never`` it stays in front of the family name (``van Gogh``).  Apostrophes in
    particles are dropped (``d'Alembert`` sorts as ``dAlembert``).  Comparing the
    fields one after the other sorts ``Smith, John`` before ``Smithson, Adam``.  A
    literal name sorts by its text.
    """
    if name.literal is not None:
        return (name.literal, "", "")
    family = name.family or ""
    ndp = (name.non_dropping_particle or "").replace("'", "").replace("\u2019", "")
    dp = (name.dropping_particle or "").replace("'", "").replace("\u2019", "")
    given = name.given or ""
    if demote == "never":
        head = f"{ndp} {family}".strip() if ndp else family
        if dp:
            head = f"{head} {dp}"
        return (head, given, name.suffix or "")
    tail = " ".join(p for p in (given, dp, ndp) if p)
    return (family, tail, name.suffix or "")


_PARTICLE_WORD = re.compile(r"^[^\W\d_]+['’]?$")
_GLUED_PARTICLE = re.compile(r"^((?:[a-z]{1,3}['’])|(?:al-|el-|ad-|as-|at-|az-|an-))(?=[^\W\d_])")


def split_particles(name: Name) -> Name:
    """A name with particles written inside ``family``/``given`` moved to the particle fields.

    CSL-JSON often has ``{"family": "van Gogh", "given": "Vincent"}`` or
    ``{"family": "Humboldt", "given": "Alexander von"}``; citeproc-js reads leading
    lower-case words of the family name as the non-dropping particle and trailing
    lower-case words of the given name as the dropping particle.  Names that already
    have particles, have no given name, or are quoted (``"\\"van Gogh\\""``) are returned
    unchanged.
    """
    if name.literal is not None or not name.given or not name.family:
        return name
    family, given = name.family, name.given
    if family.startswith('"') and family.endswith('"'):
        return name
    ndp, dp = name.non_dropping_particle, name.dropping_particle
    if ndp is None:
        words = family.split(" ")
        k = 0
        while k < len(words) - 1 and words[k][:1].islower() and _PARTICLE_WORD.match(words[k]):
            k += 1
        if k:
            ndp, family = " ".join(words[:k]), " ".join(words[k:])
        else:
            m = _GLUED_PARTICLE.match(family)
            if m:
                ndp, family = m.group(1), family[m.end() :]
    if dp is None:
        words = given.split(" ")
        k = len(words)
        while k > 1 and words[k - 1][:1].islower() and _PARTICLE_WORD.match(words[k - 1]):
            k -= 1
        if k < len(words):
            given, dp = " ".join(words[:k]), " ".join(words[k:])
    if ndp == name.non_dropping_particle and dp == name.dropping_particle:
        return name
    return Name(
        family=family,
        given=given,
        dropping_particle=dp,
        non_dropping_particle=ndp,
        suffix=name.suffix,
        comma_suffix=name.comma_suffix,
        static_ordering=name.static_ordering,
    )


# ---------------------------------------------------------------------- lists and et-al


def delimiter_before_last(rule: str | None, shown: int, previous_inverted: bool) -> bool:
    """Whether the name delimiter goes before the last name (``delimiter-precedes-last``).

    ``shown`` counts the names printed; ``previous_inverted`` says whether the
    second-to-last is inverted.  ``contextual`` (the default) uses it from three names on.
    """
    if rule == "always":
        return True
    if rule == "never":
        return False
    if rule == "after-inverted-name":
        return previous_inverted
    return shown >= 3


def delimiter_before_et_al(rule: str | None, shown: int, previous_inverted: bool) -> bool:
    """Whether the name delimiter goes before "et al." (``delimiter-precedes-et-al``).

    ``contextual`` (the default) uses it when two or more names precede it.
    """
    if rule == "always":
        return True
    if rule == "never":
        return False
    if rule == "after-inverted-name":
        return previous_inverted
    return shown >= 2


@dataclass(frozen=True, slots=True)
class EtAlPlan:
    """Which names of a list print: the first ``shown``, then "et al." or ``… last``."""

    shown: int
    et_al: bool
    last: bool


def et_al_plan(
    count: int,
    et_al_min: int | None,
    et_al_use_first: int | None,
    *,
    use_last: bool = False,
    truncated: bool = False,
) -> EtAlPlan:
    """Truncate a name list of ``count`` names (et-al-min, et-al-use-first, et-al-use-last).

    The list is shortened when ``count >= et_al_min`` and ``et_al_use_first < count``.
    ``use_last`` prints an ellipsis and the last name instead of "et al." when at least
    two names are left out.  ``truncated`` marks a list that already ended in "et al." or
    "and others" in the data: it always gets "et al.".  The caller passes the
    ``et-al-subsequent-*`` values for subsequent cites.  Example: 5 names, min 4,
    use-first 1 → ``EtAlPlan(1, True, False)``.
    """
    if (
        et_al_min is not None
        and et_al_use_first is not None
        and count >= et_al_min
        and 0 <= et_al_use_first < count
    ):
        if use_last and count >= et_al_use_first + 2:
            return EtAlPlan(et_al_use_first, False, True)
        return EtAlPlan(et_al_use_first, True, False)
    return EtAlPlan(count, truncated, False)


def et_al_limits(
    subsequent: bool,
    et_al_min: int | None,
    et_al_use_first: int | None,
    subsequent_min: int | None = None,
    subsequent_use_first: int | None = None,
) -> tuple[int | None, int | None]:
    """The ``(min, use-first)`` pair that applies to a cite.

    ``et-al-subsequent-min``/``et-al-subsequent-use-first`` replace the plain values
    for cites in a subsequent position (each falls back to its plain counterpart
    when not set); first cites and bibliographies use the plain values.
    """
    if not subsequent:
        return et_al_min, et_al_use_first
    return (
        et_al_min if subsequent_min is None else subsequent_min,
        et_al_use_first if subsequent_use_first is None else subsequent_use_first,
    )
