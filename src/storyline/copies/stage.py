"""The copies stage: link every stored article to the earlier articles it copies.

For each article of a batch, in publication order: fingerprint it, look up candidates in
the in-memory index (LSH bands for near duplicates, winnowed anchors for passages),
align the best few sentence by sentence, keep the links that explain its reused text,
join the copy groups (a ``shared`` link, passages that are a small part of both texts,
is stored but joins none), then index it. The index is rebuilt from the stored
fingerprints when the stage is built, so a workspace opened later continues where it
left off.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from storyline.copies.align import Alignment, align
from storyline.copies.fingerprint import NUM_PERM, PARAMS, Fingerprint, fingerprint, jaccard
from storyline.copies.index import CopyIndex
from storyline.copies.provenance import choose_original
from storyline.copies.relation import (
    CopyPolicy,
    Verdict,
    classify,
    credits,
    new_is_copy,
    source_of_copy,
)
from storyline.copies.text import Sentence, sentences, shape_of
from storyline.model import Article, CopyLink
from storyline.stages import Stored
from storyline.store import copies as db

_RANK = {"verbatim": 0, "edited": 1, "partial": 2, "shared": 3, "version": 4}
_COUNTED_WORDS = 4  # sentences this short are not counted for boilerplate
_CACHED_TEXTS = 2048
_CONTENDERS = 100  # the most articles of one group judged for its original at a time


@dataclass(frozen=True, slots=True)
class _Found:
    """A verified candidate: the earlier article, its version, and the decision."""

    article: Article
    version: int
    alignment: Alignment  # the new article as the copy side
    verdict: Verdict
    similarity: float
    common: frozenset[int]  # sentence keys that are boilerplate for this pair


class CopiesStage:
    """The ``copies`` stage (see the module docstring).

    Not a dataclass: construction rebuilds the index from the store.
    """

    name = "copies"

    def __init__(self, conn: sqlite3.Connection, policy: CopyPolicy | None = None) -> None:
        self.policy = policy or CopyPolicy()
        self.index = CopyIndex(self.policy.lsh_threshold)
        self._caught_up = False
        self._stale = db.meta(conn, "fingerprint") not in (None, PARAMS)
        if not self._stale:
            stored = db.load_fingerprints(conn, NUM_PERM)
            keep = [i for i, n in enumerate(stored.words) if n >= self.policy.min_words]
            self.index.add_many(
                [stored.seqs[i] for i in keep],
                stored.minhashes[keep],
                [stored.anchors[i] for i in keep],
            )
        self._seq = db.next_seq(conn)
        self._split: OrderedDict[tuple[str, int], list[Sentence]] = OrderedDict()

    # the stage hook ---------------------------------------------------------------------

    def process(self, conn: sqlite3.Connection, batch: Sequence[Stored]) -> None:
        """Fingerprint, link and index a batch of newly stored articles (in its transaction)."""
        touched: set[str] = set()
        # The store is the truth: after a batch was rolled back, numbers and the catch-up
        # start again from what it holds (stale index entries are skipped at look-up).
        self._seq = max(self._seq, db.next_seq(conn))
        if not self._caught_up or db.meta(conn, "fingerprint") != PARAMS:
            self._catch_up(conn, {s.article.id for s in batch}, touched)
        for stored in batch:
            self.add(conn, stored.article, stored.outcome, touched)
        self.update_provenance(conn, touched)

    def _catch_up(self, conn: sqlite3.Connection, batch_ids: set[str], touched: set[str]) -> None:
        """Fingerprint what was stored while the stage was off (or with older settings)."""
        if self._stale:
            db.reset(conn)
            self.index = CopyIndex(self.policy.lsh_threshold)
            self._stale = False
        db.set_meta(conn, "fingerprint", PARAMS)
        for article in db.unfingerprinted(conn, exclude=batch_ids):
            self.add(conn, article, "existing", touched)
        self._caught_up = True

    # one article --------------------------------------------------------------------------

    def add(
        self,
        conn: sqlite3.Connection,
        article: Article,
        outcome: Literal["stored", "version", "existing"],
        touched: set[str],
    ) -> None:
        """Link one article to what it copies, then index it.

        ``outcome``: newly stored, a new version of a stored article, or stored before
        (while the stage was off); ``touched`` collects the ids whose groups changed.
        """
        previous = db.fingerprinted_version(conn, article.id)
        if previous is not None:
            number = previous + 1
        elif outcome == "stored":
            number = 1  # a later version may already be stored by the same batch
        else:
            number = db.stored_version(conn, article.id)
        version = outcome == "version"
        fp = fingerprint(article.text)
        own = sentences(article.text)
        shapes = [shape_of(article.text[s.start : s.end]) or s.key for s in own]
        if version and number > 1:
            self._link_version(conn, article, own, number, fp)
        for found in self._select(conn, article, fp, own, shapes):
            link = self._link(article, number, found)
            db.save_link(conn, link)
            if link.relation == "shared":
                continue  # stored for its passages, but no copy: no group, no origin
            # a copy shares its original's origin; partial reuse inside mostly new text
            # is an origin of its own
            strong = link.relation != "partial" or link.overlap >= 0.5
            db.join(conn, link.source_id, link.target_id, same_origin=strong)
            touched |= {link.source_id, link.target_id}
        db.count_sentences(
            conn, [sh for s, sh in zip(own, shapes, strict=True) if len(s.words) >= _COUNTED_WORDS]
        )
        seq = self._seq
        self._seq += 1
        db.save_fingerprint(conn, seq, article.id, number, fp.words, fp.minhash, fp.anchors)
        if fp.words >= self.policy.min_words:
            self.index.add(seq, fp)

    def _link_version(
        self,
        conn: sqlite3.Connection,
        article: Article,
        own: list[Sentence],
        number: int,
        fp: Fingerprint,
    ) -> None:
        old = db.version_text(conn, article.id, number - 1)
        if old is None:
            return
        alignment = align(own, sentences(old))
        db.save_link(
            conn,
            CopyLink(
                source_id=article.id,
                target_id=article.id,
                relation="version",
                overlap=alignment.copy_share,
                passages=alignment.passages(),
                target_overlap=alignment.target_share,
                similarity=jaccard(fingerprint(old).minhash, fp.minhash),
                source_version=number,
                target_version=number - 1,
                reason=f"version {number} of the same page (canonical URL) replaces version "
                f"{number - 1}; {alignment.copy_share:.0%} of its words were in the old text",
            ),
        )

    def _candidates(
        self, conn: sqlite3.Connection, article: Article, fp: Fingerprint
    ) -> list[tuple[str, int, float]]:
        """(article id, version, similarity) of the candidates worth aligning, best first."""
        chosen: dict[str, tuple[int, float]] = {}
        for other in db.same_text(conn, article.text_hash, article.id):
            chosen[other] = (db.stored_version(conn, other), 1.0)
        if fp.words >= self.policy.min_words:
            hits = self.index.query(fp)[: self.policy.max_verify * 2]
            where = db.entries(conn, [h.seq for h in hits])
            for hit in hits:
                entry = where.get(hit.seq)  # gone when its batch was rolled back
                if entry is None or entry[0] == article.id or entry[0] in chosen:
                    continue
                chosen[entry[0]] = (entry[1], jaccard(fp.minhash, entry[2]))
        ranked = list(chosen.items())[: self.policy.max_verify]
        return [(aid, version, sim) for aid, (version, sim) in ranked]

    def _select(
        self,
        conn: sqlite3.Connection,
        article: Article,
        fp: Fingerprint,
        own: list[Sentence],
        shapes: list[int],
    ) -> list[_Found]:
        """The verified candidates that together explain the article's reused text."""
        candidates = self._candidates(conn, article, fp)
        if not candidates:
            return []
        others = db.articles(conn, [c[0] for c in candidates])
        # a sentence whose shape is in many earlier articles is boilerplate (by its key)
        counts = db.sentence_counts(conn, shapes)
        limit = self.policy.common_articles
        common = frozenset(
            s.key for s, sh in zip(own, shapes, strict=True) if counts.get(sh, 0) > limit
        )
        found: list[_Found] = []
        for other_id, version, similarity in candidates:
            other = others.get(other_id)
            if other is None:
                continue
            found += self._verify(conn, article, own, other, version, similarity, common)
            if found and _explained(found[-1]):
                break  # a reprint of the best candidate: the rest cannot explain more
        # best relation, most of the copy explained, then the earliest indexed candidate
        found.sort(key=lambda f: (_RANK[f.verdict.relation], -round(f.alignment.copy_share, 2)))
        return self._cover(found)

    def _verify(
        self,
        conn: sqlite3.Connection,
        article: Article,
        own: list[Sentence],
        other: Article,
        version: int,
        similarity: float,
        common: frozenset[int],
    ) -> list[_Found]:
        text = other.text if version == db.stored_version(conn, other.id) else None
        text = text if text is not None else db.version_text(conn, other.id, version)
        if text is None:
            return []
        same = text == article.text or (other.text_hash == article.text_hash and text == other.text)
        theirs = self._sentences(other.id, version, text)
        short = min(_words(own), _words(theirs)) < self.policy.min_words
        if short and not (same and article.title == other.title):
            return []  # very short texts never become copies by accident
        alignment = align(own, theirs)
        verdict = classify(alignment, self.policy, common, same_text=same)
        if verdict is None:
            return []
        return [_Found(other, version, alignment, verdict, similarity, common)]

    def _sentences(self, article_id: str, version: int, text: str) -> list[Sentence]:
        """The sentences of an earlier article version, from a small LRU cache: the same
        originals come back as candidates for article after article."""
        key = (article_id, version)
        found = self._split.get(key)
        if found is None:
            found = self._split[key] = sentences(text)
            if len(self._split) > _CACHED_TEXTS:
                self._split.popitem(last=False)
        else:
            self._split.move_to_end(key)
        return found

    def _cover(self, found: list[_Found]) -> list[_Found]:
        """Greedy cover: keep a candidate only if it explains copied text not yet explained.

        A wire story reprinted forty times thus gets one link per reprint, not forty.
        """
        kept: list[_Found] = []
        covered: set[int] = set()
        for item in found:
            rest = item.alignment.without(covered)
            if kept and classify(rest, self.policy, item.common) is None:
                continue
            kept.append(item)
            covered |= {m.copy for m in item.alignment.matches}
        return kept

    def _link(self, article: Article, number: int, found: _Found) -> CopyLink:
        is_copy, why = new_is_copy(article, found.article)
        alignment = found.alignment if is_copy else found.alignment.reversed()
        source, target = (article, found.article) if is_copy else (found.article, article)
        versions = (number, found.version) if is_copy else (found.version, number)
        verdict = found.verdict
        sourced = source_of_copy(source, target)
        if not is_copy and verdict.relation != "verbatim":
            # seen from the other side: the shares and the copied words are the other's
            verdict = classify(alignment, self.policy, found.common, sourced=sourced) or verdict
        if verdict.relation in ("partial", "shared"):
            alignment = alignment.trimmed()
            verdict = classify(alignment, self.policy, found.common, sourced=sourced) or verdict
        reason = f"{verdict.reason}; the copy is the one {why}"
        if verdict.relation == "shared":
            reason = f"{verdict.reason}; linked from the one {why}{_both_credit(source, target)}"
        return CopyLink(
            source_id=source.id,
            target_id=target.id,
            relation=verdict.relation,
            overlap=alignment.copy_share,
            passages=alignment.passages(),
            target_overlap=alignment.target_share,
            similarity=found.similarity,
            source_version=versions[0],
            target_version=versions[1],
            reason=reason,
        )

    # provenance ---------------------------------------------------------------------------

    def update_provenance(self, conn: sqlite3.Connection, touched: set[str]) -> None:
        """Choose again the likely original of every group these articles belong to.

        A group of more than ``_CONTENDERS`` articles (a wire story reprinted hundreds of
        times) is judged on its earliest ones, its current original and the newcomers,
        so that the cost per article stays flat; its size and origins are still counted.
        """
        newcomers: dict[str, list[str]] = {}
        for article_id, (group, _origin) in db.membership(conn, sorted(touched)).items():
            newcomers.setdefault(group, []).append(article_id)
        for group_id, joined in sorted(newcomers.items()):
            size, origins, first = db.group_summary(conn, group_id)
            ids = db.members(conn, group_id, limit=_CONTENDERS)
            if size > _CONTENDERS:
                previous = db.provenance(conn, group_id)
                held = [previous["original_id"]] if previous else []
                ids = list(dict.fromkeys([*ids, *held, *sorted(joined)]))
            found = db.articles(conn, ids)
            members = [found[i] for i in ids if i in found]
            links = db.links_among(conn, ids)
            result = choose_original(members, links, db.origins(conn, ids))
            db.save_provenance(
                conn, group_id, result.original_id, result.reason, size, origins, first
            )


def _both_credit(a: Article, b: Article) -> str:
    """For shared passages: the agencies both articles credit, whose text they may share."""
    both = sorted(credits(a) & credits(b))
    return f"; both credit {' and '.join(both)}, whose text both may reuse" if both else ""


def _words(found: list[Sentence]) -> int:
    return sum(len(s.words) for s in found)


def _explained(found: _Found) -> bool:
    """Whether a verified candidate explains (nearly) all of the new article's text."""
    return found.verdict.relation in ("verbatim", "edited") and found.alignment.copy_share >= 0.95
