"""A labelled copy benchmark built from real articles, and its scorer.

Originals are real articles from ``../shared/data`` (GVC, BASIL, ECB+). Copies are made
from them the way outlets make them: verbatim (with or without a "Source:" credit), with
boilerplate added, with the first sentence changed, a paragraph dropped, paragraphs
reordered, as partial reuse (30-70% of the original inside new text), and as a copy of
an update (the original's page changes under the same URL, then the new text is
copied). New text comes from *donor* articles that are never ingested. Every real
article (the other outlets' own reports of the same events) is ingested too, as a
non-copy. Label fields (``event``, ...) never reach the pipeline: the records carry only
id, title, text, date, url and source.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
FILES = {
    "gvc": "gvc/gvc.jsonl",
    "basil": "basil/basil.jsonl",
    "ecbplus": "ecbplus/ecbplus-dev.jsonl",
}
KINDS = ("verbatim", "credited", "boilerplate", "first_sentence", "dropped", "reordered",
         "partial", "update")  # fmt: skip
GOLD = {"verbatim": "verbatim", "credited": "verbatim", "boilerplate": "edited",
        "first_sentence": "edited", "dropped": "edited", "reordered": "edited",
        "partial": "partial", "update": "verbatim"}  # fmt: skip
DISCLAIMER = (
    "This story was republished by {o} under a content-sharing agreement. {o} is not "
    "responsible for the accuracy of material supplied by partner newsrooms, and the "
    "views expressed in it do not necessarily reflect those of {o} or its editors."
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass(frozen=True, slots=True)
class Doc:
    """A real article (labels kept apart from what is ingested)."""

    key: str
    dataset: str
    event: str
    title: str
    text: str
    date: str | None
    url: str | None
    source: str | None

    def record(self) -> dict[str, Any]:
        """The JSON line ingested: no label fields."""
        rec = {"id": self.key, "title": self.title, "text": self.text, "date": self.date,
               "url": self.url, "source": self.source}  # fmt: skip
        return {k: v for k, v in rec.items() if v is not None}


@dataclass(slots=True)
class Benchmark:
    """The records to ingest, in order, and the gold copies."""

    records: list[dict[str, Any]] = field(default_factory=list)
    copies: list[dict[str, Any]] = field(default_factory=list)  # copy, original, kind, gold
    versions: list[str] = field(default_factory=list)  # originals that got an update
    real: list[Doc] = field(default_factory=list)
    donor_words: int = 0  # new text available; each donor paragraph is used once
    donor_rounds: int = 0  # above 1: donors ran out and new text repeated


def load(data: Path = DATA) -> list[Doc]:
    """Every article of the three data sets, keyed ``dataset:line``."""
    docs: list[Doc] = []
    for name, rel in FILES.items():
        with (data / rel).open(encoding="utf-8") as stream:
            for line_no, line in enumerate(stream, 1):
                row = json.loads(line)
                text = (row.get("text") or "").strip()
                if not text:
                    continue
                key = f"{name}:{line_no}"
                url = row.get("url") or f"https://{name}.example/{line_no}"
                live = re.sub(r"^https?://web\.archive\.org/web/[^/]+/", "", url)
                source = row.get("source") or urlsplit(live).netloc.removeprefix("www.")
                date_value = row.get("date") or None
                docs.append(Doc(key, name, str(row.get("event")), row.get("title") or "",
                                text, date_value, url, source))  # fmt: skip
    return docs


def units(text: str) -> list[str]:
    """Paragraphs, or (for one-paragraph texts) groups of two sentences."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    if len(paragraphs) >= 4:
        return paragraphs
    sentences = [s for p in paragraphs for s in _SENTENCE.split(p) if s.strip()]
    return [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]


def words(text: str) -> int:
    """Words in a text."""
    return len(text.split())


def later(day: str | None, rng: random.Random, hours: tuple[int, int]) -> str | None:
    """A timestamp some hours after a day (or None: a copy without a date)."""
    if day is None:
        return None
    base = datetime.combine(date.fromisoformat(day[:10]), datetime.min.time())
    return (base + timedelta(hours=rng.randint(*hours))).isoformat() + "+00:00"


# making copies -------------------------------------------------------------------------------


class Maker:
    """Derives copies of originals, using donors for new text (deterministic per seed)."""

    def __init__(self, donors: list[Doc], rng: random.Random) -> None:
        self.donors = donors
        self.rng = rng
        self.count = 0
        self.spare: list[str] = []
        self.origin: dict[str, str] = {}
        self.used: set[str] = set()  # donors of the copy being made
        self.rounds = 0

    def donor_units(self, n_words: int) -> list[str]:
        """Paragraphs of new text (see ``_donor_units``), remembering their donors."""
        chosen = self._donor_units(n_words)
        self.used.update(self.origin[u] for u in chosen)
        return chosen

    def _donor_units(self, n_words: int) -> list[str]:
        """Paragraphs of new text, about ``n_words`` long, each used once (else two copies
        would truly share the donor's text)."""
        chosen: list[str] = []
        while sum(words(u) for u in chosen) < n_words:
            if not self.spare:
                self.spare = [u for d in self.donors for u in units(d.text)]
                self.origin = {u: d.key for d in self.donors for u in units(d.text)}
                self.rng.shuffle(self.spare)
                self.rounds += 1  # donors ran out: text repeats from here on
            chosen.append(self.spare.pop())
        return chosen

    def body(self, original: Doc, kind: str) -> str:
        """The copy's text for one kind of copying."""
        parts = units(original.text)
        rng = self.rng
        outlet = f"Copy Outlet {self.count % 9 + 1}"
        if kind in ("verbatim", "update"):
            return original.text
        if kind == "credited":
            return f"{original.text}\n\nSource: {original.source}"
        if kind == "boilerplate":
            return f"{original.text}\n\n{DISCLAIMER.format(o=outlet)}"
        if kind == "first_sentence":
            first = _SENTENCE.split(parts[0], maxsplit=1)
            new = _SENTENCE.split(self.donor_units(10)[0], maxsplit=1)[0]
            parts[0] = new + (" " + first[1] if len(first) > 1 else "")
        elif kind == "dropped":
            parts.pop(rng.randrange(1, len(parts)))
        elif kind == "reordered":
            i, j = rng.sample(range(len(parts)), 2)
            parts[i], parts[j] = parts[j], parts[i]
        elif kind == "partial":
            return "\n\n".join(self.partial(parts))
        return "\n\n".join(parts)

    def partial(self, parts: list[str]) -> list[str]:
        """30-70% of the original (a run of paragraphs) inside new text of equal or more."""
        total = sum(words(p) for p in parts)
        goal = self.rng.uniform(0.3, 0.7) * total
        start = self.rng.randrange(len(parts))
        block: list[str] = []
        for p in parts[start:] + parts[:start]:
            if sum(words(b) for b in block) >= goal:
                break
            block.append(p)
        reused = sum(words(b) for b in block)
        # the reused text is 35-50% of the copy: mostly new text around it
        new = self.donor_units(int(reused * self.rng.uniform(1.0, 1.8)))
        cut = self.rng.randrange(len(new) + 1)
        return new[:cut] + block + new[cut:]

    def update(self, original: Doc) -> Doc:
        """The original's page, changed: a paragraph added and a number edited."""
        text = original.text + "\n\n" + self.donor_units(30)[0]
        text = re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 1), text, count=1)
        return replace(original, text=text, date=later(original.date, self.rng, (2, 3)))

    def copy(self, original: Doc, kind: str) -> dict[str, Any]:
        """One copy record of an original."""
        self.count += 1
        n = self.count
        self.used = set()
        text = self.body(original, kind)
        outlet = f"Copy Outlet {n % 9 + 1}"
        record = {
            "id": f"copy:{n}",
            "title": original.title if self.rng.random() < 0.5 else f"{original.title} (update)",
            "text": text,
            "url": f"https://copy{n % 9 + 1}.example/{n}",
            "source": outlet,
        }
        if self.rng.random() < 0.75:
            record["date"] = later(original.date, self.rng, (4, 40))
        return {k: v for k, v in record.items() if v is not None}


def build(docs: list[Doc], exclude: set[str], originals: int, seed: int) -> Benchmark:
    """The benchmark: real articles plus copies of ``originals`` of them."""
    rng = random.Random(seed)
    pool = sorted(docs, key=lambda d: d.key)
    rng.shuffle(pool)
    # donors of new text: GVC and BASIL only (ECB+ articles reuse one another's text a lot)
    split = len(pool) // 4
    donors = [d for d in pool[:split] if d.key not in exclude and d.dataset != "ecbplus"]
    real = pool[split:]
    candidates = [d for d in real if d.key not in exclude and words(d.text) >= 120
                  and len(units(d.text)) >= 4]  # fmt: skip
    chosen = candidates[:originals]
    maker = Maker(donors, rng)
    bench = Benchmark(real=real)
    late: list[dict[str, Any]] = []
    stream: list[tuple[str, int, dict[str, Any]]] = []
    for i, original in enumerate(chosen):
        kinds = [KINDS[i % len(KINDS)]]
        if rng.random() < 0.4:
            kinds += rng.sample([k for k in KINDS if k != "update"], rng.randint(1, 2))
        source = original
        if "update" in kinds:
            source = maker.update(original)
            stream.append((source.date or "", 1, source.record()))
            bench.versions.append(original.key)
        for kind in kinds:
            rec = maker.copy(source if kind == "update" else original, kind)
            stream.append((rec.get("date") or original.date or "", 2, rec))
            bench.copies.append({"copy": rec["id"], "original": original.key, "kind": kind,
                                 "gold": GOLD[kind], "donors": sorted(maker.used)})  # fmt: skip
        if i % 10 == 9 and original.date and "update" not in kinds:
            late.append(original.record())  # a backfill: the original arrives after its copies
    late_keys = {r["id"] for r in late}
    for doc in real:
        if doc.key not in late_keys:
            stream.append((doc.date or "", 0, doc.record()))
    stream.sort(key=lambda item: (item[0][:10], item[1]))
    bench.records = [rec for _day, _order, rec in stream] + late
    bench.donor_words = sum(words(d.text) for d in donors)
    bench.donor_rounds = maker.rounds
    return bench


def write(records: list[dict[str, Any]], path: Path) -> None:
    """JSON Lines."""
    with path.open("w", encoding="utf-8") as out:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def kinds_table(bench: Benchmark) -> Counter[str]:
    """How many copies of each kind the benchmark holds."""
    return Counter(c["kind"] for c in bench.copies)


def families(bench: Benchmark) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Each original with its copies."""
    by_original: dict[str, list[dict[str, Any]]] = {}
    for c in bench.copies:
        by_original.setdefault(c["original"], []).append(c)
    yield from by_original.items()
