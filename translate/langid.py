"""Language identification: py3langid first, langdetect where it is unsure, completed for the
region's languages.

langdetect (the detector the product was specified with) knows 55 languages but not
Azerbaijani, Armenian or Georgian: it calls Armenian and Georgian Estonian and Azerbaijani
Turkish, all with certainty. It is also slow (2 to 8 ms a call, random sampling in pure Python).
So, cheapest first:

- a script check settles Armenian and Georgian (no other language here writes in them);
- py3langid (BSD, its model bundled in the wheel, naive Bayes over byte n-grams, about 0.15 ms
  a sentence) over the allowed languages: its answer stands when it is at least SURE (0.90)
  certain, the bar at which a sentence keeps its own language anyway, and on any text shorter
  than SHORT_TEXT_LETTERS, where it measures better than langdetect (`bench/langid.py`);
- otherwise langdetect, as before: its answer when it is sure, with py3langid judging between
  it and Azerbaijani (when that answer is Turkish or the text has the schwa "ə"); when
  langdetect is not sure either (it is then often confidently wrong between close languages,
  Danish/Norwegian, Russian/Bulgarian), py3langid's best answer.

`assign_languages` calls langdetect for even fewer sentences: an unsure sentence whose
py3langid answer is its paragraph's and its document's language takes its paragraph's
language, as it would after any answer below the bar.

Each `LanguageDetector` owns its own langdetect factory, py3langid model and a bounded memory
of the texts it has judged (no module-level state), seeded so that the same text always gets
the same answer: a text is judged once however often it recurs.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsalign.translate.errors import TranslateError

# Below this many letters langdetect's random sampling sees too few n-grams to be stable (it is
# then scored over every n-gram exactly), and py3langid's answer stands however unsure: on the
# shared word pairs it is right more often (86.5 % against 83.5 %).
SHORT_TEXT_LETTERS = 40
# langdetect's own smoothing: ALPHA_DEFAULT / BASE_FREQ.
_SMOOTHING = 0.5 / 10000


@dataclass(frozen=True)
class Detection:
    """A language guess: ISO 639-1 code and its probability."""

    lang: str
    prob: float


# Languages of the region langdetect has no profile for, and the scripts that settle some.
COMPLETED = ("az", "hy", "ka")
SCRIPTS = {"hy": re.compile("[\u0530-\u058f\ufb13-\ufb17]"),
           "ka": re.compile("[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]")}  # fmt: skip
# At or above this, langdetect's answer stands (py3langid only checks it against Azerbaijani).
SURE = 0.90


def langdetect_languages() -> list[str]:
    """Languages langdetect has profiles for."""
    from langdetect.detector_factory import PROFILES_DIRECTORY

    return sorted(os.listdir(PROFILES_DIRECTORY))


def available_languages() -> list[str]:
    """Languages a detector can answer: langdetect's and those completed here."""
    return sorted(set(langdetect_languages()) | set(COMPLETED))


def script_language(text: str) -> Detection | None:
    """Armenian or Georgian when most letters are in that script (share as probability)."""
    if not any(pattern.search(text) for pattern in SCRIPTS.values()):
        return None  # the common case, settled without counting letters
    letters = _letters(text)
    for lang, pattern in SCRIPTS.items():
        share = len(pattern.findall(text)) / letters
        if share > 0.5:
            return Detection(lang, round(share, 4))
    return None


def parse_langs(value: str | None) -> list[str] | None:
    """Parse a `--langs de,en` option; None or empty means unrestricted."""
    if not value:
        return None
    langs = sorted({code.strip().lower() for code in value.split(",") if code.strip()})
    known = set(available_languages())
    unknown = [code for code in langs if code not in known]
    if unknown:
        raise TranslateError(
            f"unsupported language code{'s' if len(unknown) > 1 else ''} for detection: "
            f"{', '.join(unknown)} "
            f"(known: {', '.join(sorted(known))})"
        )
    return langs or None


@dataclass(frozen=True)
class Glance:
    """The cheap detectors' reading of a text (script, else py3langid) and whether it settles
    the text: a script's answer, or py3langid's when it is an allowed language and the text is
    short or py3langid at least SURE."""

    detection: Detection | None
    settled: bool


# Texts a detector remembers its answers for (FIFO): news repeats itself (wire copy, ledes,
# captions), and a text is judged once; ~300 bytes an entry, so at most a few megabytes.
MEMORY = 20_000
# py3langid tells Chinese from other languages but not simplified from traditional script,
# which langdetect does: "zh" is one of its candidates when either is allowed, and never an
# answer (langdetect decides).
_PY3_CHINESE = {"zh-cn", "zh-tw"}


class LanguageDetector:
    """Detects the language of a text, restricted to `candidates` if given."""

    def __init__(
        self, candidates: Sequence[str] | None = None, seed: int = 0, *, complete: bool = True
    ) -> None:
        """`complete=False` is langdetect alone, as the product was first built (benchmarks
        compare against it)."""
        self.candidates = sorted(candidates) if candidates else None
        self.seed = seed
        self.complete = complete
        allowed = set(self.candidates or available_languages())
        self._ld_langs = sorted(allowed & set(langdetect_languages()))
        self._allowed = allowed if complete else set(self._ld_langs)
        self._factories: dict[bool, object] = {}
        self._identifier = None
        self._glanced: dict[str, Glance] = {}
        self._detected: dict[str, Detection | None] = {}

    def _factory(self, folded: bool):
        # Built lazily: loading every profile takes ~0.5 s and most texts never need it.
        if folded not in self._factories:
            from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

            langs = self._ld_langs
            profiles = []
            for code in langs:
                with open(os.path.join(PROFILES_DIRECTORY, code), encoding="utf-8") as fh:
                    profile = json.load(fh)
                if folded:
                    # All-lowercase input has lost the capitalisation German nouns carry; compare
                    # it with profiles whose n-gram counts are merged across case.
                    freq: Counter[str] = Counter()
                    for gram, count in profile["freq"].items():
                        freq[gram.lower()] += count
                    profile["freq"] = dict(freq)
                profiles.append(json.dumps(profile))
            factory = DetectorFactory()
            factory.load_json_profile(profiles)
            factory.set_seed(self.seed)
            self._factories[folded] = factory
        return self._factories[folded]

    def _py3langid(self):
        """py3langid restricted to the allowed languages it knows (None if it knows none),
        loaded on first use (0.5 to 1 s: its model is LZMA-compressed)."""
        if self._identifier is None:
            import numpy as np
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            known = set(self._allowed & set(identifier.nb_classes))
            if self._allowed & _PY3_CHINESE and "zh" in identifier.nb_classes:
                known.add("zh")
            if known:
                identifier.set_languages(sorted(known))
                # Its scores are float32 sums of the float16 table's rows: the same scores from a
                # float32 table, a third faster (no conversion per row), for 11 MB more.
                identifier.nb_ptc = np.asarray(identifier.nb_ptc, dtype=np.float32)
            self._identifier = identifier if known else False
        return self._identifier or None

    def _ranks(self, text: str) -> dict[str, float]:
        """py3langid's probabilities over the allowed languages it knows."""
        identifier = self._py3langid()
        return {lang: float(p) for lang, p in identifier.rank(text)} if identifier else {}

    def glance(self, text: str) -> Glance:
        """What the cheap detectors make of `text` (remembered, see MEMORY)."""
        known = self._glanced.get(text)
        if known is None:
            known = self._glance(text)
            _remember(self._glanced, text, known)
        return known

    def _glance(self, text: str) -> Glance:
        if not any(map(str.isalpha, text)):
            return Glance(None, True)
        if not self.complete:
            return Glance(self._langdetect(text), True)
        by_script = script_language(text)
        if by_script is not None:
            return Glance(by_script if by_script.lang in self._allowed else None, True)
        identifier = self._py3langid()
        if identifier is None:
            return Glance(None, False)
        best, prob = identifier.classify(text)
        found = Detection(best, round(float(prob), 4))
        short = _letters(text) < SHORT_TEXT_LETTERS
        return Glance(found, best in self._allowed and (found.prob >= SURE or short))

    def detect(self, text: str) -> Detection | None:
        """Best language for `text`, or None when it has no letters to judge by (or is in a
        script of a language the candidates exclude). Remembered, see MEMORY."""
        if text in self._detected:
            return self._detected[text]
        seen = self.glance(text)
        found = seen.detection if seen.settled else self._second_opinion(text, seen.detection)
        _remember(self._detected, text, found)
        return found

    def _second_opinion(self, text: str, first: Detection | None) -> Detection | None:
        """langdetect's answer where py3langid (`first`) is unsure, as the detector worked
        before py3langid went first."""
        found = self._langdetect(text) if self._ld_langs else None
        if found is not None and found.prob >= SURE:
            # Without a profile, Azerbaijani comes out as its nearest neighbour, Turkish; a text
            # langdetect is sure of that is neither Turkish nor written with the Azerbaijani
            # schwa needs no second opinion.
            if "az" not in self._allowed or (found.lang != "tr" and "ə" not in text.lower()):
                return found
            ranks = self._ranks(text)
            if "az" in ranks and found.lang in ranks and ranks["az"] > ranks[found.lang]:
                return Detection("az", ranks["az"] / (ranks["az"] + ranks[found.lang]))
            return found
        if first is not None and first.lang in self._allowed:
            return first
        return found

    def _langdetect(self, text: str) -> Detection | None:
        from langdetect.lang_detect_exception import LangDetectException

        if len(self._ld_langs) == 1:
            # One candidate (`--langs ru`): the user has said what the text is, and langdetect
            # cannot rank a single profile (it raises "Need more than 2 profiles").
            return Detection(self._ld_langs[0], 1.0)

        letters = _letters(text)
        folded = not any(ch.isupper() for ch in text)
        factory = self._factory(folded)
        detector = factory.create()
        detector.append(text)
        if letters < SHORT_TEXT_LETTERS:
            return self._exact(factory, detector)
        try:
            probs = detector.get_probabilities()
        except LangDetectException:
            return None
        if not probs:
            return None
        return Detection(probs[0].lang, float(probs[0].prob))

    @staticmethod
    def _exact(factory, detector) -> Detection | None:
        ngrams = detector._extract_ngrams()
        langs = factory.langlist
        logp = [0.0] * len(langs)
        seen = False
        for gram in ngrams:
            probs = factory.word_lang_prob_map.get(gram)
            if probs is None:
                continue
            seen = True
            for i, p in enumerate(probs):
                logp[i] += math.log(p + _SMOOTHING)
        if not seen:
            return None
        top = max(logp)
        weights = [math.exp(v - top) for v in logp]
        best = max(range(len(langs)), key=logp.__getitem__)
        return Detection(langs[best], weights[best] / sum(weights))


def _remember(memory: dict, key: str, value) -> None:
    if len(memory) >= MEMORY:
        del memory[next(iter(memory))]  # the oldest: dicts keep insertion order
    memory[key] = value


# A segment keeps its own language only when it is at least this long and this certain;
# otherwise it takes its paragraph's (or document's) language.
OWN_MIN_LETTERS = 25
OWN_MIN_PROB = 0.90
PARAGRAPH_MIN_LETTERS = 40
MIN_DOCUMENT_LETTERS = 10


@dataclass(frozen=True)
class Assigned:
    """A language given to a document, paragraph or sentence, and how it was decided."""

    lang: str | None
    prob: float | None
    method: str  # detected, paragraph or document


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _vote(detections: list[tuple[Detection, int]]) -> Detection | None:
    weights: dict[str, float] = {}
    for det, letters in detections:
        weights[det.lang] = weights.get(det.lang, 0.0) + det.prob * letters
    if not weights:
        return None
    lang = max(weights, key=weights.__getitem__)
    return Detection(lang, weights[lang] / sum(weights.values()))


def _agrees(
    found: Detection | None, paragraph: Detection | None, document: Detection | None
) -> bool:
    return (
        found is not None
        and document is not None
        and found.lang == document.lang
        and (paragraph is None or paragraph.lang == found.lang)
    )


def assign_languages(
    detector: LanguageDetector, paragraphs: list[list[str]]
) -> tuple[Assigned, list[Assigned], list[list[Assigned]]]:
    """Languages for a document, its paragraphs and their sentences.

    Sentences long enough to judge are detected; paragraphs and the document take the
    length-weighted vote of their sentences. Short or uncertain units inherit from above, so a
    menu line never gets a random language, while a truly mixed document keeps its mix.

    Every sentence is first read by the cheap detectors (`LanguageDetector.glance`). One they
    leave unsure goes on to langdetect unless their answer is the language of the document's
    settled sentences and of its paragraph's (if any): such a sentence would take that language
    from any answer below the bar, and does so without langdetect.
    """
    sizes = [[_letters(text) for text in sentences] for sentences in paragraphs]
    glances = [
        [
            detector.glance(text) if n >= OWN_MIN_LETTERS else None
            for text, n in zip(sentences, row, strict=True)
        ]
        for sentences, row in zip(paragraphs, sizes, strict=True)
    ]
    settled = [
        [
            (g.detection, n) if g and g.settled and g.detection else None
            for g, n in zip(row, ns, strict=True)
        ]
        for row, ns in zip(glances, sizes, strict=True)
    ]
    document = _vote([d for row in settled for d in row if d])
    sentence_dets: list[list[tuple[Detection, int] | None]] = []
    for sentences, row, sure, ns in zip(paragraphs, glances, settled, sizes, strict=True):
        paragraph = _vote([d for d in sure if d])
        dets: list[tuple[Detection, int] | None] = []
        for text, seen, n in zip(sentences, row, ns, strict=True):
            det = seen.detection if seen else None
            if seen and not seen.settled and not _agrees(det, paragraph, document):
                det = detector.detect(text)
            dets.append((det, n) if det else None)
        sentence_dets.append(dets)
    every = [d for row in sentence_dets for d in row if d]
    doc_det = _vote(every)
    if doc_det is None:
        # Nothing long enough on its own: judge the whole text at once, if there is enough of
        # it; a guess from a word or two ("Only" comes out Welsh) is worse than "unknown".
        whole = " ".join(" ".join(s) for s in paragraphs)
        doc_det = detector.detect(whole) if _letters(whole) >= MIN_DOCUMENT_LETTERS else None
    doc = (
        Assigned(doc_det.lang, doc_det.prob, "detected")
        if doc_det
        else Assigned(None, None, "none")
    )
    fallback = Assigned(doc.lang, doc.prob, "document")
    para_out: list[Assigned] = []
    sent_out: list[list[Assigned]] = []
    for row in sentence_dets:
        found = [d for d in row if d]
        vote = _vote(found)
        letters = sum(n for _, n in found)
        if vote and letters >= PARAGRAPH_MIN_LETTERS and vote.prob >= OWN_MIN_PROB:
            para = Assigned(vote.lang, vote.prob, "detected")
        else:
            para = fallback
        para_out.append(para)
        inherited = (
            Assigned(para.lang, para.prob, "paragraph") if para is not fallback else fallback
        )
        sent_out.append(
            [
                Assigned(d[0].lang, d[0].prob, "detected")
                if d and d[0].prob >= OWN_MIN_PROB
                else inherited
                for d in row
            ]
        )
    return doc, para_out, sent_out
