"""Command line: `python -m pyodide_app trace|explain|script|notebook|latex [options]`.

Bad arguments end with exit status 2 and one line naming the field, never a traceback.

With data (`--dataset`, or a `--state` that has it) the network learns from a dataset as the
page's Data panel sets it: `--points`, `--noise`, `--test-share`, `--data-seed`, `--batch-size`
and `--shown` are the state's data settings (data/settings.py), and `--inputs` names the
features the input neurons are (x1,x2,x1_squared …) instead of giving their values: those are
the shown point's. `--steps` then counts batches, and explain prints one batch step.
"""

from __future__ import annotations

import argparse
import gettext
import json
import re
import sys
from pathlib import Path

from . import presets, training, translation
from .architecture import check_loss
from .data import settings as data_settings
from .data.generators import GENERATORS
from .data.inputs import ALWAYS, FEATURES
from .limits import Limit
from .notation.numbers import LOCALES
from .redesign import with_data
from .network import train
from .state import (MAX_TEXT_LENGTH, StateError, check_value, from_preset, parse, parse_number, shorten,
                    within_limits)
from .trace import trace
from .view.code_export import STEPS, notebook, script
from .view.explain import explain
from .view import latex
from .view.latex_document import document
from .view.worksheet import KINDS
from .translation import _

LOCALE_DIR = Path(__file__).resolve().parent.parent / "site_src" / "locale"
MAX_STEPS = 10_000_000
DATA_OPTIONS = {"points": "--points", "noise": "--noise", "test_share": "--test-share", "seed": "--data-seed",
                "batch_size": "--batch-size", "shown": "--shown"}  # data setting → its option
VALUE_OPTIONS = ("--inputs", "--targets", "--learning-rate", "--steps", *DATA_OPTIONS.values())
OPTIONS = VALUE_OPTIONS + ("--state", "--preset", "--out", "--worksheet", "--lang", "-h", "--help")
CODE = {"script": script, "notebook": notebook}  # the network as code, training `--steps` steps itself


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would print the whole usage; one line is enough
        raise UsageError(message)


def main(argv: list[str] | None = None) -> int:
    """The command line; a --lang holds for this command only (callers that run several keep theirs)."""
    catalog, language = translation.installed(), translation.language()
    try:
        return _command(argv)
    finally:
        translation.install(catalog, language)


def _command(argv: list[str] | None) -> int:
    parser = Parser(prog="python -m pyodide_app", description="Trace the demonstration network.")
    parser.add_argument("command", choices=("trace", "explain", *CODE, "latex"),
                        help="trace: the whole trace as JSON; explain: the same as readable text; script: the "
                             "network as a Python script with NumPy; notebook: the same as a Jupyter notebook; "
                             "latex: every worked card as a LaTeX document (amsmath)")
    parser.add_argument("--inputs", help="comma-separated input values, e.g. 0.5,0.3,0.8; with data, the features "
                                         f"the input neurons are, x1 and x2 and any of {', '.join(key for key in FEATURES if key not in ALWAYS)}")
    parser.add_argument("--targets", help="comma-separated target values, e.g. 0.8,0.2")
    parser.add_argument("--learning-rate", help="learning rate α, e.g. 0.1")
    parser.add_argument("--steps", help="trace, explain: training steps to take first (default 0); script, "
                                         f"notebook: training steps the code takes (default {STEPS})")
    parser.add_argument("--dataset", choices=list(GENERATORS), help="learn from this dataset of the plane, as the "
                                                                    "page's Data panel does")
    parser.add_argument("--points", help="with data: how many points, 10 to 1,000 (default 500)")
    parser.add_argument("--noise", help="with data: noise in per cent, 0 to 50 (default 0)")
    parser.add_argument("--test-share", help="with data: the share of test points in per cent, 10 to 90 (default 50)")
    parser.add_argument("--data-seed", help="with data: the seed the points are made from (default 1)")
    parser.add_argument("--batch-size", help="with data: samples per batch, 1 to the training points, or all "
                                             "(default 10)")
    parser.add_argument("--shown", help="with data: the point shown, numbered from 1 as the page numbers them")
    parser.add_argument("--out", help="script, notebook, latex: write it to this file instead of printing it")
    parser.add_argument("--worksheet", action="store_true",
                        help="latex: the worksheet of the state's worksheet seed instead, every exercise and its key")
    parser.add_argument("--lang", help="the language of explain's, the worksheet's and the code's texts and numbers, "
                        "as the page's folders name it: en (default), es, fr, de, pt-BR, zh-Hans, ar")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--state", help="a saved state (JSON, as the page exports)")
    start.add_argument("--preset", choices=list(presets.PRESETS), help="start from this preset instead of the seed")
    try:
        args = parser.parse_args(_join_negative_values(sys.argv[1:] if argv is None else argv))
        if args.lang is not None:  # else the catalog installed stays (English, unless a caller chose one)
            translation.install(_translations(args.lang))
        code = CODE.get(args.command)
        steps = _steps(args.steps if args.steps is not None else str(STEPS) if code else "0")
        state = _state(args, 0 if code else steps)
    except (UsageError, StateError) as error:
        field = f"{error.field}: " if isinstance(error, StateError) else ""
        print(f"error: {field}{error}", file=sys.stderr)
        return 2
    if code:
        return _write(code(state, steps), args.out)
    if args.command == "latex":
        return _write(_latex(state, args.worksheet), args.out)
    result = trace(state)
    if args.command == "trace":
        print(json.dumps(result, indent=1, allow_nan=False))
    else:
        print(explain(result, state.targets, state.data))
    return 0


def _translations(code: str) -> gettext.NullTranslations:
    """The language's compiled catalog (site_src/locale/<code>/LC_MESSAGES/messages.mo, which
    `make catalogs` or the build writes); English is the source and has none."""
    if code == "en":
        return gettext.NullTranslations()
    if code not in LOCALES:
        raise UsageError(f"--lang {code}: the languages are {', '.join(LOCALES)}")
    try:
        return gettext.translation("messages", LOCALE_DIR, [code.replace("-", "_")])
    except OSError:
        raise UsageError(f"--lang {code}: its catalog is not compiled: run `make catalogs`") from None


def _latex(state, worksheet: bool) -> str:
    if not worksheet:
        return document(state)
    from .design import exercise
    return latex.worksheet([(exercise(state, state.worksheet_seed), state.worksheet_seed)], tuple(KINDS))


def _join_negative_values(argv: list[str]) -> list[str]:
    """'--inputs -0.5,0.3,0.8' → '--inputs=-0.5,0.3,0.8': argparse takes '-0.5,…' for an option."""
    joined: list[str] = []
    for arg in argv:
        if joined and joined[-1] in VALUE_OPTIONS and arg.startswith("-") and arg not in OPTIONS:
            joined[-1] = f"{joined[-1]}={arg}"
        else:
            joined.append(arg)
    return joined


def _write(text: str, path: str | None) -> int:
    if path is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"error: --out: cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


def _state(args, steps: int):
    state = _load(args.state) if args.state else from_preset(args.preset or "seed")
    state = _with_data(state, args)
    if state.data is not None and args.targets is not None:
        raise StateError("--targets", _("come from the data, the shown point's: choose it with --shown"))
    if args.inputs is not None and state.data is None:
        state.inputs = _list(args.inputs, "inputs", len(state.inputs), state.limits())
    if args.targets is not None:
        state.targets = _list(args.targets, "targets", len(state.targets), state.limits())
        check_loss(state.network.loss, state.network.activations[-1], state.targets)
    if args.learning_rate is not None:
        state.learning_rate = parse_number(args.learning_rate, "learning_rate")
    if state.data is not None:
        training.train_on_batches(state, steps)
    else:
        train(state.network, state.inputs, state.targets, state.learning_rate, steps)
        state.epoch = int(check_value(state.epoch + steps, "epoch"))
    if not within_limits(state.network):
        raise StateError("steps", _("training drove a weight past ±1e9: use fewer steps or a lower learning rate"))
    return state


def _with_data(state, args):
    """The state learning from the data the options choose: `--dataset`, or the state's own
    data with the settings given changed. A setting refused names its option."""
    given = {key: text for key, option in DATA_OPTIONS.items()
             if (text := getattr(args, option.removeprefix("--").replace("-", "_"))) is not None}
    if args.dataset is None and state.data is None:
        if given:
            raise StateError(DATA_OPTIONS[next(iter(given))], _("needs --dataset (or a --state with data)"))
        return state
    data = data_settings.new(args.dataset, state.data) if args.dataset else data_settings.copy(state.data)
    if args.inputs is not None:
        data["inputs"] = _features(args.inputs)
    every = given.get("batch_size", "").strip().lower() == "all"
    for key, text in given.items():
        if not (key == "batch_size" and every):
            data[key] = _whole(text, key)
    if "shown" in given and not 0 <= data["shown"] < data["points"]:  # the page's numbers, not the state's
        raise StateError("--shown", _("must be a whole number from 1 to %(data)s") % {"data": f"{data['points']:,}"})
    try:
        if every:  # all the training points of the data as chosen
            data["batch_size"] = len(data_settings.dataset_of(with_data(state, {**data, "batch_size": 1}).data)
                                     .training_indices)
        return with_data(state, data)
    except StateError as error:
        key = error.field.removeprefix("data.")
        raise StateError(DATA_OPTIONS.get(key, "--inputs" if key == "inputs" else error.field), str(error)) from None


def _features(text: str) -> list[str]:
    keys = [part.strip() for part in text.split(",")]
    unknown = [key for key in keys if key not in FEATURES]
    if unknown or len(set(keys)) < len(keys):
        wrong = shorten(unknown[0]) if unknown else "one twice"
        raise StateError("--inputs", _("with data, must list features: x1 and x2, then any of %(choices)s, each once "
                                       "(not %(wrong)s)")
                                     % {"choices": ', '.join((key for key in FEATURES if key not in ALWAYS)),
                                        "wrong": wrong})
    return [key for key in FEATURES if key in keys]


def _whole(text: str, key: str) -> int:
    option = DATA_OPTIONS[key]
    value = parse_number(text, option, {option: Limit(-1e9, 1e9)})
    if value != int(value):
        raise StateError(option, _("must be a whole number"))
    return int(value) - 1 if key == "shown" else int(value)


def _load(path: str):
    try:
        raw = Path(path).read_bytes()[: MAX_TEXT_LENGTH * 4 + 1]
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StateError("--state", _("cannot read %(path)s: %(value)s")
                                    % {"path": path, "value": getattr(error, 'strerror', None) or error}) from None
    return parse(text)


def _list(text: str, field: str, length: int, limits: dict) -> list[float]:
    parts = text.split(",")
    if len(parts) != length:
        raise StateError(field, _("needs %(length)s comma-separated numbers, got %(count)s")
                                % {"length": length, "count": len(parts)})
    return [parse_number(part, f"{field}[{i}]", limits) for i, part in enumerate(parts)]


def _steps(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,8}", text.strip()) or int(text) > MAX_STEPS:
        raise StateError("steps", _("must be a whole number from 0 to %(max_steps)s") % {"max_steps": f'{MAX_STEPS:,}'})
    return int(text)


if __name__ == "__main__":
    sys.exit(main())
