"""The saved state's test cases: the seed in both format versions, and a refusal checked
through every door with its field."""

from __future__ import annotations

import base64
import copy
import json

import pytest

import oracle
from pyodide_app.state import StateError, from_data, from_fragment, parse


SEED = oracle.seed_data()  # format version 2
V1_SEED = json.loads((oracle.FIXTURES / "v1-seed-export.json").read_text(encoding="utf-8"))
SEED_SIZES = [3, 4, 3, 2, 2]


def seed_dict(version: int = 2) -> dict:
    return copy.deepcopy(SEED if version == 2 else V1_SEED)


def refuse(call, field: str) -> StateError:
    with pytest.raises(StateError) as info:
        call()
    error = info.value
    assert error.field == field, f"field {error.field!r} != {field!r} ({error})"
    message = str(error)
    assert message and "\n" not in message, repr(message)
    return error


def refuse_data(data: dict, field: str, sizes=None) -> StateError:
    """The same refusal through every door: from_data, parse and from_fragment."""
    refuse(lambda: from_data(data, sizes), field)
    text = json.dumps(data)
    refuse(lambda: parse(text, sizes), field)
    fragment = "state=" + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    return refuse(lambda: from_fragment(fragment, sizes), field)


def with_change(path, value, version: int = 2):
    data = seed_dict(version)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def without(key, version: int = 2):
    data = seed_dict(version)
    del data[key]
    return data


