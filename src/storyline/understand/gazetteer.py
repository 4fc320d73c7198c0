"""Gazetteers built from packaged data: countries, capitals, states, organisations,
news agencies and heads of state or government.

Country names, official names and subdivisions come from pycountry; the rest from
``gazetteer_data``. Each entry has a stable id (``gpe:TR``, ``org:nato``), so a
mention the EntityRuler tags is linked to its canonical entity without guessing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from storyline.errors import NotInstalled
from storyline.understand import gazetteer_data as data
from storyline.understand.names import fold, name_key

# Subdivisions of these countries are common enough in news to be worth tagging.
_SUBDIVISION_COUNTRIES = {"US": "state", "CA": "province", "AU": "state", "GB": "country"}


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One gazetteer entity: its id, canonical name, label and other names."""

    id: str
    name: str
    label: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Role:
    """Who held a role in a country during some years (``the Turkish president``)."""

    entity_id: str
    country: str
    role: str
    first: int
    last: int | None


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """All entries, and lookups by id, by name key and by (country, role)."""

    entries: tuple[GazEntry, ...]
    roles: tuple[Role, ...]
    by_id: Mapping[str, GazEntry]
    by_key: Mapping[str, GazEntry]

    def demonym_country(self, word: str) -> str | None:
        """The country id of a demonym ('Turkish' -> 'gpe:TR'), else None."""
        return _demonyms().get(fold(word))

    def holder(self, country: str, role: str, year: int | None) -> str | None:
        """The entity id of who held ``role`` in ``country`` in ``year`` (None: unknown)."""
        found = [
            r.entity_id
            for r in self.roles
            if r.country == country
            and r.role == role
            and (year is None or (r.first <= year and (r.last is None or year <= r.last)))
        ]
        return found[-1] if len(set(found)) == 1 or (found and year is None) else None

    def patterns(self) -> list[dict[str, str]]:
        """EntityRuler phrase patterns for every name of every entry."""
        out = []
        for entry in self.entries:
            for alias in (entry.name, *entry.aliases):
                out.append({"label": entry.label, "pattern": alias, "id": entry.id})
        return out


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    return {fold(word): f"gpe:{code}" for code, words in data.DEMONYMS.items() for word in words}


def _countries() -> Iterator[GazEntry]:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - the nlp extra installs it
        raise NotInstalled("pycountry", "nlp") from None
    for country in pycountry.countries:
        code = country.alpha_2
        formal = [country.name, getattr(country, "official_name", None)]
        common = getattr(country, "common_name", None)
        name = data.SHORT_NAMES.get(code) or common or country.name
        names = [n for n in (*formal, common, *data.EXTRA_NAMES.get(code, ())) if n]
        aliases = tuple(dict.fromkeys(n for n in names if "," not in n and n != name))
        yield GazEntry(f"gpe:{code}", name, "GPE", aliases)


def _subdivisions(taken: set[str]) -> Iterator[GazEntry]:
    import pycountry

    for code, _kind in _SUBDIVISION_COUNTRIES.items():
        for sub in pycountry.subdivisions.get(country_code=code) or ():
            if sub.parent_code is not None or name_key(sub.name) in taken:
                continue  # skip counties and names a country already uses (Georgia)
            short = sub.code.split("-", 1)[1]
            aliases = data.US_STATE_ABBREVIATIONS.get(short, ()) if code == "US" else ()
            yield GazEntry(f"gpe:{sub.code}", sub.name, "GPE", aliases)


def _others() -> Iterator[GazEntry]:
    for code, city in data.CAPITALS.items():
        yield GazEntry(f"gpe:{code}:capital", city, "GPE", ())
    for name, label, aliases in data.ORGANISATIONS:
        yield GazEntry(f"org:{name_key(name).replace(' ', '-')}", name, label, aliases)
    for name, aliases in data.NEWS_AGENCIES:
        yield GazEntry(f"org:{name_key(name).replace(' ', '-')}", name, "ORG", aliases)
    seen = set()
    for name, _country, _role, _first, _last, aliases in data.LEADERS:
        if name not in seen:
            seen.add(name)
            yield GazEntry(f"person:{name_key(name).replace(' ', '-')}", name, "PERSON", aliases)


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The gazetteer (built once per process)."""
    entries: list[GazEntry] = []
    taken: set[str] = set()
    countries = list(_countries())
    for entry in countries:
        taken.update(name_key(a) for a in (entry.name, *entry.aliases))
    entries += countries
    entries += list(_subdivisions(taken))
    entries += list(_others())
    roles = tuple(
        Role(f"person:{name_key(name).replace(' ', '-')}", f"gpe:{country}", role, first, last)
        for name, country, role, first, last, _aliases in data.LEADERS
    )
    by_key: dict[str, GazEntry] = {}
    for entry in entries:
        for alias in (entry.name, *entry.aliases):
            by_key.setdefault(name_key(alias), entry)
    return Gazetteer(tuple(entries), roles, {e.id: e for e in entries}, by_key)
