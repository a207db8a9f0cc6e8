"""A saved format as one table of fields, and everything that follows from the table.

A field is one entry: its key, its type (how its JSON value is read and checked, and how it
is copied), the format version it came in, its default, and whether a saved object may leave
it out. From the entries follow:

    the class     a dataclass of the fields; the fields of a part (the network) are held by
                  the part, and a derived field by no one: the part works it out
    the keys      each version must hold (the fields it had, not optional) and may hold
    reading       the fields in table order, each checked by its type against the fields
                  read before it; a field newer than the saved version takes its default,
                  or its `older` value worked out from the fields before it: that is the
                  migration, so every version written before still loads
    writing       every field in table order, in the newest version; an optional one only
                  when it differs from its default, so older pages can still read it
    copying       every field copied by its type

Adding a field to the format is adding one entry (tests/test_state_schema.py shows it).
"""

from __future__ import annotations

from dataclasses import dataclass, make_dataclass
from dataclasses import field as dataclass_field
from typing import Any, Callable

from .limits import StateError, shorten
from .translation import _

NO_DEFAULT = object()  # a value every state is given: it has no default


def same(value):
    """The copy of a value nothing can change (a number, a string, None)."""
    return value


@dataclass
class Reading:
    """What a field's type may look at while a saved object is read."""
    data: dict  # the saved JSON object
    version: int
    values: dict  # the fields read so far, by key
    demands: dict  # what the reader asks of the object (the page's layer sizes)


@dataclass(frozen=True)
class Type:
    """How a field's JSON value is read: (value, key, Reading) → the value held, or
    StateError; and how a value held is copied so that no other state shares it."""
    read: Callable[[Any, str, Reading], Any]
    copy: Callable[[Any], Any] = same


@dataclass(frozen=True)
class Field:
    key: str  # in the saved JSON, and the attribute that holds it
    type: Type
    since: int = 1  # the format version it came in
    default: Any = NO_DEFAULT  # a new state's value, and the value of a version before `since`
    optional: bool = False  # a saved object may leave it out: then it is `default`
    older: Callable[[Reading], Any] | None = None  # its value before `since`, from the fields before it
    part: str | None = None  # held by this part of the state ("network"), not by the state
    derived: bool = False  # read and written, but held by no one: the part works it out


class Schema:
    """The fields of a format, its versions (the last is written) and the classes of its
    parts: `cls` is the class of the state, `from_data`, `to_data` and `copy` follow."""

    def __init__(self, name: str, fields, versions: tuple[int, ...], parts: dict[str, type], base: type = object):
        self.fields = tuple(fields)
        self.versions = versions
        self.parts = parts
        self.required = {v: ("version",) + tuple(f.key for f in self.fields if f.since <= v and not f.optional)
                         for v in versions}
        self.allowed = {v: self.required[v] + tuple(f.key for f in self.fields if f.since <= v and f.optional)
                        for v in versions}
        self.cls = self._state_class(name, base)

    def _state_class(self, name: str, base: type) -> type:
        """Fields without a default first (inputs, targets, …), then the parts, then the rest:
        State(inputs, targets, learning_rate, network) is a whole state."""
        own = [f for f in self.fields if f.part is None]
        given = [(f.key, Any) for f in own if f.default is NO_DEFAULT]
        defaulted = [(f.key, Any, dataclass_field(default_factory=_default_of(f)))
                     for f in own if f.default is not NO_DEFAULT]
        schema = self
        return make_dataclass(name, given + [(part, Any) for part in self.parts] + defaulted, bases=(base,),
                              namespace={"copy": lambda state: schema.copy(state)})

    def from_data(self, data, **demands):
        """A parsed JSON value → a state, or StateError naming the first field refused."""
        if not isinstance(data, dict):
            raise StateError("state", _("must be a JSON object"))
        unknown = [key for key in data if key not in self.allowed[self.versions[-1]]]
        if unknown:
            raise StateError(shorten(str(unknown[0])) or '""', _("is not part of a saved state"))
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, (int, float)) or version not in self.versions:
            raise StateError("version", _("must be %(choices)s: this is not a saved state of this page's format")
                                        % {"choices": ' or '.join(map(str, self.versions))})
        extra = [key for key in data if key not in self.allowed[version]]
        if extra:
            raise StateError(extra[0], _("is not part of a saved state of version %(version)s") % {"version": version})
        missing = [key for key in self.required[version] if key not in data]
        if missing:
            raise StateError(missing[0], "is missing")
        reading = Reading(data, version, {}, demands)
        for f in self.fields:
            if version < f.since:
                value = f.older(reading) if f.older else f.type.copy(f.default)
            elif f.key in data:
                value = f.type.read(data[f.key], f.key, reading)
            else:  # optional, and left out
                value = f.type.copy(f.default)
            reading.values[f.key] = value
        return self._build(reading.values)

    def to_data(self, state) -> dict:
        """The state as a JSON object of the newest version, sharing nothing with it."""
        data = {"version": self.versions[-1]}
        for f in self.fields:
            value = _held(state, f)
            if not (f.optional and value == f.default):
                data[f.key] = f.type.copy(value)
        return data

    def copy(self, state):
        return self._build({f.key: f.type.copy(_held(state, f)) for f in self.fields if not f.derived})

    def _build(self, values: dict):
        parts = {name: cls(**{f.key: values[f.key] for f in self.fields if f.part == name and not f.derived})
                 for name, cls in self.parts.items()}
        return self.cls(**parts, **{f.key: values[f.key] for f in self.fields if f.part is None})


def _held(state, f: Field):
    return getattr(getattr(state, f.part) if f.part else state, f.key)


def _default_of(f: Field):
    return lambda: f.type.copy(f.default)
