"""Locales: terms, date formats and options, merged from the style and the locale files.

The locale XML files are the public data files that citeproc-py ships
(``citeproc/data/locales``), found through :mod:`importlib.resources`; no
module of citeproc-py is imported.  A :class:`Locale` is a stack of layers
searched in CSL's order: the style's ``cs:locale`` for the exact language,
for the language without region, without ``xml:lang``; then the locale file
for the language, for its primary dialect, and finally ``en-US``.
"""

from __future__ import annotations

import functools
import importlib.resources
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bibconv.csl.style import NS, DatePart, Fmt, LocaleOverride, _fmt

__all__ = ["Locale", "LocaleError", "Term", "get_locale"]

_P = "{" + NS + "}"

#: The dialect a bare language code stands for (as the CSL locales repository defines it).
PRIMARY_DIALECTS = {
    "af": "af-ZA", "ar": "ar", "bg": "bg-BG", "ca": "ca-AD", "cs": "cs-CZ", "cy": "cy-GB", "da": "da-DK",
    "de": "de-DE", "el": "el-GR", "en": "en-US", "es": "es-ES", "et": "et-EE", "eu": "eu", "fa": "fa-IR",
    "fi": "fi-FI", "fr": "fr-FR", "he": "he-IL", "hr": "hr-HR", "hu": "hu-HU", "id": "id-ID", "is": "is-IS",
    "it": "it-IT", "ja": "ja-JP", "km": "km-KH", "ko": "ko-KR", "la": "la", "lt": "lt-LT", "lv": "lv-LV",
    "mn": "mn-MN", "nb": "nb-NO", "nl": "nl-NL", "nn": "nn-NO", "pl": "pl-PL", "pt": "pt-PT", "ro": "ro-RO",
    "ru": "ru-RU", "sk": "sk-SK", "sl": "sl-SI", "sr": "sr-RS", "sv": "sv-SE", "th": "th-TH", "tr": "tr-TR",
    "uk": "uk-UA", "vi": "vi-VN", "zh": "zh-CN",
}  # fmt: skip


class LocaleError(Exception):
    """The requested locale has no file (the caller reports BC403 and falls back to en-US)."""


@dataclass(frozen=True, slots=True)
class Term:
    """A term in one form: singular and plural text, gender, and for ordinals gender-form/match."""

    single: str
    multiple: str
    gender: str | None = None
    gender_form: str | None = None
    match: str | None = None


@dataclass(slots=True)
class _Layer:
    terms: dict[tuple[str, str], list[Term]] = field(default_factory=dict)
    dates: dict[str, tuple[tuple[DatePart, ...], Fmt, str]] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    has_ordinals: bool = False


def _parse_layer(root: Any) -> _Layer:
    layer = _Layer()
    for ch in root:
        tag = ch.tag if isinstance(ch.tag, str) else ""
        if tag == _P + "terms":
            for t in ch:
                if t.tag != _P + "term":
                    continue
                name = t.attrib.get("name", "")
                form = t.attrib.get("form", "long")
                single_el = t.find(_P + "single")
                multiple_el = t.find(_P + "multiple")
                if single_el is not None or multiple_el is not None:
                    single = (single_el.text or "") if single_el is not None else ""
                    multiple = (multiple_el.text or "") if multiple_el is not None else single
                else:
                    single = multiple = t.text or ""
                if name.startswith("ordinal"):
                    layer.has_ordinals = True
                term = Term(
                    single,
                    multiple,
                    t.attrib.get("gender"),
                    t.attrib.get("gender-form"),
                    t.attrib.get("match"),
                )
                layer.terms.setdefault((name, form), []).append(term)
        elif tag == _P + "date":
            parts = tuple(
                DatePart(
                    dp.attrib.get("name", ""),
                    dp.attrib.get("form"),
                    _fmt(dp),
                    dp.attrib.get("range-delimiter"),
                )
                for dp in ch
                if dp.tag == _P + "date-part"
            )
            layer.dates[ch.attrib.get("form", "text")] = (parts, _fmt(ch), ch.attrib.get("delimiter", ""))
        elif tag == _P + "style-options":
            layer.options.update(ch.attrib)
    return layer


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)


@functools.lru_cache(maxsize=64)
def _file_layer(lang: str) -> _Layer | None:
    from lxml import etree

    base = importlib.resources.files("citeproc").joinpath("data", "locales", f"locales-{lang}.xml")
    try:
        data = base.read_bytes()
    except (FileNotFoundError, OSError, ModuleNotFoundError):
        return None
    return _parse_layer(etree.fromstring(data, _parser()))


_FORM_FALLBACK = {
    "verb-short": ("verb-short", "verb", "long"),
    "symbol": ("symbol", "short", "long"),
    "verb": ("verb", "long"),
    "short": ("short", "long"),
    "long": ("long",),
}


class Locale:
    """A merged view of locale layers (first layer wins)."""

    def __init__(self, lang: str, layers: list[_Layer]) -> None:
        self.lang = lang
        self._layers = layers
        self._cache: dict[tuple[str, str, str | None], Term | None] = {}
        opts: dict[str, str] = {}
        for layer in reversed(layers):
            opts.update(layer.options)
        self.options = opts
        self.punctuation_in_quote = opts.get("punctuation-in-quote") == "true"
        self.limit_day_ordinals = opts.get("limit-day-ordinals-to-day-1") == "true"
        # ordinal terms: the first layer that defines any ordinal replaces the rest
        self._ord_layers = []
        for layer in layers:
            if layer.has_ordinals:
                self._ord_layers = [layer]
                break
        if not self._ord_layers:
            self._ord_layers = layers

    def term(self, name: str, form: str = "long", gender: str | None = None) -> Term | None:
        """The term ``name`` in ``form`` (with CSL's form fallbacks), or None when undefined."""
        key = (name, form, gender)
        if key in self._cache:
            return self._cache[key]
        found: Term | None = None
        layers = self._ord_layers if name.startswith("ordinal") else self._layers
        for f in _FORM_FALLBACK.get(form, (form, "long")):
            for layer in layers:
                cands = layer.terms.get((name, f))
                if cands:
                    found = _pick(cands, gender)
                    break
            if found is not None:
                break
        self._cache[key] = found
        return found

    def text(self, name: str, form: str = "long", plural: bool = False) -> str:
        """The text of a term ('' when undefined)."""
        t = self.term(name, form)
        if t is None:
            return ""
        return t.multiple if plural else t.single

    def date_format(self, form: str) -> tuple[tuple[DatePart, ...], Fmt, str] | None:
        """The localized date format (``text`` or ``numeric``)."""
        for layer in self._layers:
            if form in layer.dates:
                return layer.dates[form]
        return None

    def ordinal_lookup(self, name: str, gender: str | None) -> tuple[str, str] | None:
        """An ordinal term for the text-rules library: (text, match) for ``gender`` (None = neuter)."""
        layers = self._ord_layers if name.startswith("ordinal") else self._layers
        for layer in layers:
            cands = layer.terms.get((name, "long"))
            if not cands:
                continue
            for t in cands:
                if t.gender_form == gender:
                    return (t.single, t.match or "")
            if name.startswith("ordinal"):
                return None
        return None

    def ordinal(self, number: int, gender: str | None = None) -> str:
        """CSL 1.0.1 ordinal suffix for ``number`` (terms ordinal-00..99 with match, else ``ordinal``)."""
        layers = self._ord_layers
        n2 = number % 100
        candidates: list[tuple[str, str]] = []
        if n2 < 100:
            candidates.append((f"ordinal-{n2:02d}", "whole-number"))
            candidates.append((f"ordinal-{n2:02d}", "last-two-digits"))
            candidates.append((f"ordinal-{number % 10:02d}", "last-digit"))
        for name, match in candidates:
            for layer in layers:
                cands = layer.terms.get((name, "long"))
                if not cands:
                    continue
                for want_gender in (gender, None):
                    for t in cands:
                        if t.gender_form != want_gender:
                            continue
                        m = t.match or ("last-two-digits" if name[-2] != "0" else "last-digit")
                        if m != match:
                            continue
                        if match == "whole-number" and number != n2:
                            continue
                        if match == "last-two-digits" and n2 < 10 and name[-2] == "0":
                            continue
                        return t.single
                break
        fallback = self.term("ordinal", "long", gender)
        return fallback.single if fallback else ""

    def long_ordinal(self, number: int, gender: str | None = None) -> str:
        """``first`` … ``tenth``; beyond ten, the short ordinal."""
        if 1 <= number <= 10:
            t = self.term(f"long-ordinal-{number:02d}", "long", gender) or self.term(
                f"long-ordinal-{number:02d}"
            )
            if t is not None:
                return t.single
        return f"{number}{self.ordinal(number, gender)}"

    def gender(self, name: str) -> str | None:
        """The grammatical gender of a term (months, locator nouns), if the locale gives one."""
        t = self.term(name, "long")
        return t.gender if t else None


def _pick(cands: list[Term], gender: str | None) -> Term:
    for t in cands:
        if t.gender_form == gender:
            return t
    for t in cands:
        if t.gender_form is None:
            return t
    return cands[0]


_LOCK = threading.Lock()
_LOCALES: dict[tuple[str, tuple[LocaleOverride, ...]], Locale] = {}


def _overrides(overrides: Iterable[LocaleOverride], lang: str) -> list[_Layer]:
    from lxml import etree

    ov = list(overrides)
    primary = lang.split("-")[0]
    order = [o for o in ov if o.lang == lang]
    order += [o for o in ov if o.lang == primary and o.lang != lang]
    order += [o for o in ov if o.lang is None]
    return [_parse_layer(etree.fromstring(o.xml, _parser())) for o in order]


def get_locale(lang: str | None, overrides: tuple[LocaleOverride, ...] = ()) -> Locale:
    """The merged locale for ``lang`` (default en-US); raises LocaleError when no file exists for it."""
    lang = lang or "en-US"
    key = (lang, overrides)
    with _LOCK:
        hit = _LOCALES.get(key)
    if hit is not None:
        return hit
    layers = _overrides(overrides, lang)
    own = _file_layer(lang)
    primary = PRIMARY_DIALECTS.get(lang.split("-")[0])
    missing = own is None and primary is None and lang.split("-")[0] != "en"
    if own is not None:
        layers.append(own)
    if primary and primary != lang:
        p = _file_layer(primary)
        if p is not None:
            layers.append(p)
    if lang != "en-US":
        en = _file_layer("en-US")
        if en is not None:
            layers.append(en)
    loc = Locale(lang, layers)
    if missing:
        raise LocaleError(lang)
    with _LOCK:
        _LOCALES[key] = loc
    return loc
