"""The words of the checks, as data: ``rules.yaml`` holds each code's title, lever and explanations in
English and Chinese, and this module fills them in the language of the surface.

A rule (:mod:`crmselect.checks.sla_rules`, :mod:`crmselect.checks.contract_rules`) never writes a
sentence.  It returns a :class:`Reason`: the key of one of its explanation templates and the offer's
own figures (``Reason("low", {"uptime": 99.5, "minutes": 216.0, ...})``).  A finding keeps that reason, and
a surface renders it, in its own language, when it shows the finding.

``rules.yaml``, one entry per code::

    SLA003:
      title: {en: "Uptime below 99.9 %", zh-CN: "可用性低于 99.9%"}
      lever: {en: ..., zh-CN: ...}
      explanations:
        low:                                    # the key a rule returns
          en: the committed uptime of {uptime}% allows {minutes:,.0f} minutes down a month ...
          zh-CN: 承诺可用性 {uptime}% 意味着每月可停机 {minutes:,.0f} 分钟 ...

Placeholders are named, and the same in every language (a test holds them so).  A number is
formatted per locale with :mod:`crmselect.show.formats`, by the placeholder's spec:

- ``{uptime}`` (no spec): as a figure is written, with the decimals it has (``99.9``, ``4``, ``0.5``,
  like ``format(value, "g")``), grouped by thousands;
- ``{minutes:,.0f}``, ``{hours:,.1f}``: grouped, with exactly that many decimals.

Any other value (a name, such as a hosting partner's) is written as it is.  A title or lever may
have placeholders too: the rule's thresholds, registered with the rule (``@rule(..., hours=24)``).
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmselect.errors import AnalysisError
from crmselect.files.yaml_lines import load_plain
from crmselect.model.frozen import FrozenDict
from crmselect.show.formats import format_number
from crmselect.show.i18n import LANGUAGES, SOURCE_LANGUAGE, current, normalise

RULES_FILE = Path(__file__).with_name("rules.yaml")
PARTS = ("title", "lever")
_DIGITS = re.compile(r",\.(\d)f")

Param = str | int | float


@dataclass(frozen=True)
class Reason:
    """Why a rule fired: the key of its explanation template, and the figures to fill in (raw values)."""

    key: str
    params: Mapping[str, Param] = field(default_factory=FrozenDict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", FrozenDict(self.params))


def reason(key: str, /, **params: Param) -> Reason:
    """``reason("low", uptime=99.5)``: what a rule returns when it fires."""
    return Reason(key, params)


def language_of(language: str | None) -> str:
    """``language`` as crmselect spells it; ``None``: the current language of the surface."""
    return current().language if language is None else normalise(language)


# ------------------------------------------------------------------ filling a template
def figure_text(value: float, language: str | None = None) -> str:
    """A figure as the rules write it, in ``language``: ``99.9``, ``4``, ``0.5``, ``1,500``."""
    plain = f"{value:g}"
    if "e" in plain or "inf" in plain or "nan" in plain:
        return format_number(value, language)
    digits = len(plain.partition(".")[2])
    return format_number(float(plain), language, digits=digits)


class _Filler(string.Formatter):
    """``str.format`` with numbers formatted per locale (see the module's docstring for the specs)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return format(value, format_spec)
        if not format_spec:
            return figure_text(value, self.language)
        digits = _DIGITS.fullmatch(format_spec)
        if digits is None:
            raise AnalysisError(f"a number placeholder takes no spec, or ',.Nf' (not {format_spec!r})")
        return format_number(value, self.language, digits=int(digits[1]))


def fill(template: str, params: Mapping[str, Param], language: str) -> str:
    """``template`` with ``params`` filled in, numbers formatted for ``language``."""
    return _Filler(language).vformat(template, (), dict(params))


def placeholders(template: str) -> set[tuple[str, str]]:
    """The ``(name, spec)`` of every placeholder of ``template``."""
    return {(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name is not None}


# ------------------------------------------------------------------ the texts of one code
@dataclass(frozen=True)
class RuleText:
    """A code's words: ``{part: {language: text}}`` for title and lever, ``{key: {language: text}}`` explanations."""

    code: str
    parts: Mapping[str, Mapping[str, str]]
    explanations: Mapping[str, Mapping[str, str]]

    def _pick(self, texts: Mapping[str, str], language: str | None) -> str:
        return texts.get(language_of(language)) or texts[SOURCE_LANGUAGE]

    def part(self, name: str, params: Mapping[str, Param], language: str | None = None) -> str:
        """The title or the lever in ``language``, with the rule's thresholds filled in."""
        chosen = language_of(language)
        return fill(self._pick(self.parts[name], chosen), params, chosen)

    def explain(self, why: Reason, language: str | None = None) -> str:
        """The explanation ``why`` names, in ``language``, with the offer's figures filled in."""
        if why.key not in self.explanations:
            raise AnalysisError(f"{self.code} has no explanation {why.key!r} in {RULES_FILE.name}; "
                                f"it has {', '.join(self.explanations)}")
        chosen = language_of(language)
        return fill(self._pick(self.explanations[why.key], chosen), why.params, chosen)


def _texts(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise AnalysisError(f"{RULES_FILE.name}: {where} must map languages to text (received {value!r})")
    if SOURCE_LANGUAGE not in value:
        raise AnalysisError(f"{RULES_FILE.name}: {where} has no English ({SOURCE_LANGUAGE}) text")
    return {str(k): str(v).strip() for k, v in value.items()}


def _rule_text(code: str, entry: object) -> RuleText:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("explanations"), Mapping):
        raise AnalysisError(f"{RULES_FILE.name}: {code} needs title, lever and explanations")
    parts = {name: _texts(entry.get(name), f"{code}.{name}") for name in PARTS}
    explanations = {str(key): _texts(value, f"{code}.explanations.{key}")
                    for key, value in entry["explanations"].items()}
    return RuleText(code, parts, explanations)


@functools.cache
def rule_texts() -> dict[str, RuleText]:
    """Every code's words, read once from ``rules.yaml``."""
    data = load_plain(RULES_FILE.read_text(encoding="utf-8")) or {}
    return {str(code): _rule_text(str(code), entry) for code, entry in data.items()}


def rule_text(code: str) -> RuleText:
    """The words of ``code``; a code without an entry in ``rules.yaml`` is an error that says so."""
    found = rule_texts().get(code)
    if found is None:
        raise AnalysisError(f"check {code} has no title, lever or explanation in {RULES_FILE}")
    return found


def problems(texts: Mapping[str, RuleText] | None = None) -> list[str]:
    """What is wrong with ``rules.yaml``: a text missing in a language, placeholders that differ, bad specs."""
    out = []
    for code, words in (rule_texts() if texts is None else texts).items():
        every = {**{name: words.parts[name] for name in PARTS},
                 **{f"explanations.{key}": value for key, value in words.explanations.items()}}
        for where, by_language in every.items():
            missing = [lang for lang in LANGUAGES if not by_language.get(lang)]
            extra = sorted(set(by_language) - set(LANGUAGES))
            if missing or extra:
                out.append(f"{code}.{where}: missing {missing}, unknown {extra}")
                continue
            english = placeholders(by_language[SOURCE_LANGUAGE])
            for lang in LANGUAGES:
                found = placeholders(by_language[lang])
                if found != english:
                    out.append(f"{code}.{where}: {lang} has placeholders {sorted(found)}, en {sorted(english)}")
                bad = sorted(spec for _, spec in found if spec and not _DIGITS.fullmatch(spec))
                if bad:
                    out.append(f"{code}.{where}: {lang} has unknown number specs {bad}")
    return out


__all__ = [
    "PARTS",
    "RULES_FILE",
    "Param",
    "Reason",
    "RuleText",
    "figure_text",
    "fill",
    "language_of",
    "placeholders",
    "problems",
    "reason",
    "rule_text",
    "rule_texts",
]
