"""Translators behind one small protocol, found through entry points.

A translator turns sentences of one language into another and says, for every output, which
model made it and under which cache key, so a corpus can tell which translations are still
valid. Built in: the translation memory (`tm`) and Argos Translate packages (`argos`); composed
with `Fallback` (the first translator that has an answer: memory, then model) and `Pivot`
(through a third language, like argostranslate's CompositeTranslation).

A plug-in is a *factory*, `factory(request) -> Translator | None` (None: no route for that pair),
registered under the `newsalign.translators` entry-point group; ours are registered the same way
in pyproject.toml. Factories are looked up at call time, never cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Protocol

from newsalign.translate.engine import Engine, Settings
from newsalign.translate.errors import TranslateError
from newsalign.translate.memory_formats import normalize
from newsalign.translate.packages import Package, find

GROUP = "newsalign.translators"


@dataclass(frozen=True)
class Source:
    """A sentence to translate: as written, and as prepared for a model (glossary names put in
    their target-language spelling). A memory matches the first, a model reads the second."""

    text: str
    prepared: str


@dataclass(frozen=True)
class Output:
    """One translation and where it came from."""

    text: str
    model: str  # recorded with the translation: "argos:de-en@1.9", "tm:memory.tmx"
    path: str  # the language route: "de>en", "de>en>fr"
    backend: str  # the translator kind: "argos", "tm", or a plug-in's name
    key: str  # cache key: the same key means the same translation would come out again


class Translator(Protocol):
    """Translates sentences from `source` into `target`."""

    source: str
    target: str

    def keys(self, item: Source) -> tuple[str, ...]:
        """The cache keys an output for `item` may have; a stored translation with one of them
        is still valid."""
        ...

    def translate(self, items: Sequence[Source]) -> Iterator[Output | None]:
        """Outputs in order, as they finish; None where this translator has no translation."""
        ...


@dataclass(frozen=True)
class Request:
    """What a factory is asked for. `memory` looks a sentence up in the corpus's translation
    memory: (translation, origin file) or None."""

    source: str
    target: str
    settings: Settings = field(default_factory=Settings)
    memory: Callable[[str], tuple[str, str] | None] | None = None


Factory = Callable[[Request], "Translator | None"]


def cache_key(*parts: str) -> str:
    """A cache key from the parts that decide a translation (model ids, the text it read)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def factories() -> dict[str, Factory]:
    """Every registered translator factory by name (entry points of `newsalign.translators`)."""
    found: dict[str, Factory] = {}
    for ep in entry_points(group=GROUP):
        try:
            found[ep.name] = ep.load()
        except Exception as exc:  # a broken plug-in must not take the built-in ones down
            raise TranslateError(f"translator plug-in {ep.name!r} does not load: {exc}") from None
    return found


def factory(name: str) -> Factory:
    """The factory registered as `name`."""
    known = factories()
    if name not in known:
        raise TranslateError(f"unknown translator {name!r} (installed: {', '.join(sorted(known))})")
    return known[name]


class MemoryTranslator:
    """Exact matches (after whitespace normalisation) in a translation memory."""

    def __init__(self, source: str, target: str, lookup: Callable[[str], tuple[str, str] | None]):
        self.source, self.target, self._lookup = source, target, lookup

    def keys(self, item: Source) -> tuple[str, ...]:
        return (cache_key("tm", normalize(item.text)),)

    def translate(self, items: Sequence[Source]) -> Iterator[Output | None]:
        path = f"{self.source}>{self.target}"
        for item in items:
            hit = self._lookup(item.text)
            yield (
                None
                if hit is None
                else Output(hit[0], f"tm:{hit[1]}", path, "tm", self.keys(item)[0])
            )


class ArgosTranslator:
    """An installed Argos package, run straight through CTranslate2 and SentencePiece."""

    def __init__(self, package: Package, settings: Settings) -> None:
        self.package = package
        self.source, self.target = package.from_code, package.to_code
        self._settings = settings
        self._engine: Engine | None = None

    @property
    def model(self) -> str:
        return self.package.id

    def keys(self, item: Source) -> tuple[str, ...]:
        return (cache_key(self.model, item.prepared),)

    def raw(self, texts: list[str]) -> Iterator[str]:
        """Translations of plain texts, in order, streamed (the engine loads on first use)."""
        if self._engine is None:
            self._engine = Engine(self.package, self._settings)
        return self._engine.stream(texts)

    def translate(self, items: Sequence[Source]) -> Iterator[Output | None]:
        path = f"{self.source}>{self.target}"
        for item, text in zip(items, self.raw([i.prepared for i in items]), strict=True):
            yield Output(text, self.model, path, "argos", self.keys(item)[0])


class Pivot:
    """Through a third language: `first` (source>pivot), then `second` (pivot>target)."""

    def __init__(self, first: Translator, second: Translator, chunk: int = 64) -> None:
        self.first, self.second, self.chunk = first, second, chunk
        self.source, self.target = first.source, second.target

    def keys(self, item: Source) -> tuple[str, ...]:
        return (cache_key("pivot", *self.first.keys(item), self.second.target),)

    def translate(self, items: Sequence[Source]) -> Iterator[Output | None]:
        # The second leg needs whole sentences from the first, so the route goes chunk by chunk.
        for start in range(0, len(items), self.chunk):
            chunk = items[start : start + self.chunk]
            middle = list(self.first.translate(chunk))
            ready = [(i, m) for i, m in enumerate(middle) if m is not None]
            done = self.second.translate([Source(m.text, m.text) for _, m in ready])
            finals: dict[int, Output | None] = {i: o for (i, _), o in zip(ready, done, strict=True)}
            for i, item in enumerate(chunk):
                first, final = middle[i], finals.get(i)
                if first is None or final is None:
                    yield None
                    continue
                yield Output(
                    final.text,
                    f"{first.model}>{final.model}",
                    f"{first.path}>{self.target}",
                    final.backend,
                    self.keys(item)[0],
                )


class Fallback:
    """The first translator that has an answer: a memory before a model. Every part but the
    last is asked about all sentences at once, so put the fast ones (memories) first; the last
    part streams."""

    def __init__(self, *parts: Translator) -> None:
        self.parts = parts
        self.source, self.target = parts[0].source, parts[0].target

    def keys(self, item: Source) -> tuple[str, ...]:
        return tuple(k for part in self.parts for k in part.keys(item))

    def translate(self, items: Sequence[Source]) -> Iterator[Output | None]:
        first, *rest = self.parts
        if not rest:
            yield from first.translate(items)
            return
        answers = list(first.translate(items))
        misses = [i for i, a in enumerate(answers) if a is None]
        later = Fallback(*rest).translate([items[i] for i in misses])
        # In order: a miss waits for the next translator's stream, which runs in miss order.
        for answer in answers:
            yield answer if answer is not None else next(later, None)


def memory(request: Request) -> Translator | None:
    """The `tm` factory: the corpus's translation memory, when it has one."""
    if request.memory is None:
        return None
    return MemoryTranslator(request.source, request.target, request.memory)


def argos(request: Request) -> Translator | None:
    """The `argos` factory: the newest installed package for the pair, if any."""
    package = find(request.source, request.target)
    return ArgosTranslator(package, request.settings) if package else None
