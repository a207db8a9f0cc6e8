"""The Runs table: each Reset or change of network after training adds a row (what the network
was, what it learnt from, how far it got), so a class compares more runs than the loss curve
holds.

The runs are kept in the browser's storage under a key of their own, never in the state or the
link: they are the class's record, not part of a network. The page hands over what it stored
once Python is live (runsStored), and every change is sent back to be stored. Stored runs that
cannot be read are left in storage, and said so, until a run is added or Clear runs is pressed.
"""

from __future__ import annotations

import itertools
import json

from .. import network
from ..activations import ACTIVATIONS
from ..data import scores
from ..data import settings as data_settings
from ..data.own_data import is_own
from ..losses import LOSSES
from ..notation import names
from ..translation import N_, _, ngettext
from ..view import runs as runs_view
from .base import Context, Feature, Reply

VERSION = 1  # of the stored runs: {"version": 1, "runs": [row, …]}
MOST = 200  # runs kept, the oldest dropped first
MAX_STORED = 1_000_000  # characters of stored runs read: 200 runs take some 60,000
MAX_TEXT = 1000  # characters of a stored run's text
TEXTS = ("data", "sizes", "activations", "loss")
NUMBERS = ("learning_rate", "epochs", "training_loss")  # the rest may be missing (None)
NOT_THE_RUN = ("shown", "position", "rows")  # data settings that change within one run
ONE_SAMPLE = N_("One sample")
UNREADABLE = N_("The runs saved in this browser could not be read (%(why)s), so the table starts empty. They stay "
                "in storage until a run is added or Clear runs is pressed.")


class Runs(Feature):
    messages = ("runsStored", "runsExport", "runsClear")

    def __init__(self, context: Context):
        self.ctx = context
        self.rows: list[dict] = []
        self.live = False  # the stored runs have come: a row added before would overwrite them
        self.added = False  # a row was added since the table was last sent

    def on_runs_stored(self, text: str | None) -> Reply:
        self.live = True
        self.rows, problem = read(text)
        return self.table(store=False, message=problem, error=problem is not None)

    def on_runs_export(self) -> Reply:
        if not self.rows:
            return {"runs": {"message": _("There are no runs to export yet: train, then Reset or change the network."),
                             "error": False}}
        return {"download": {"name": runs_view.FILE_NAME, "text": runs_view.csv_text(self.rows), "type": "text/csv"},
                "runs": {"message": ngettext("Exported %(file)s: %(count)s run.", "Exported %(file)s: %(count)s runs.",
                                             len(self.rows)) % {"file": runs_view.FILE_NAME, "count": f"{len(self.rows):,}"},
                         "error": False}}

    def on_runs_clear(self) -> Reply:
        self.rows = []
        return self.table(message=_("The runs are cleared."))

    def replaced(self, old, whole: bool) -> None:
        """A trained network left behind for another (`whole`), or for other data, is a run."""
        if self.live and trained(old) and (whole or run_of(old) != run_of(self.ctx.state)):
            self.rows = [*self.rows, row_of(old)][-MOST:]
            self.added = True

    def show(self, answer) -> Reply:
        if not self.added:
            return {}
        self.added = False
        return self.table(message=_("Run %(number)s added to the Runs table.") % {"number": f"{len(self.rows):,}"})

    def table(self, store=True, message: str | None = None, error=False) -> Reply:
        runs = runs_view.table(self.rows)
        if store:
            runs["store"] = json.dumps({"version": VERSION, "runs": self.rows})
        if message is not None:
            runs |= {"message": message, "error": error}
        return {"runs": runs}


def trained(state) -> bool:
    return state.epoch > 0 or (state.data is not None and state.data["position"] > 0)


def run_of(state) -> tuple:
    """What makes a run: the network's design and the data's settings (not the point shown)."""
    net, data = state.network, state.data
    settings = None if data is None else {key: value for key, value in data.items() if key not in NOT_THE_RUN}
    return net.sizes, net.activations, net.loss, json.dumps(settings, sort_keys=True)


def row_of(state) -> dict:
    """The run `state` has reached: on data its losses over the training and the test points
    (and the share of each classified right), with one sample that sample's loss."""
    net, data = state.network, state.data
    row = {"sizes": "-".join(map(str, net.sizes)), "activations": activations(net.activations),
           "loss": LOSSES[net.loss].name, "learning_rate": state.learning_rate}
    if data is None:
        return row | {"data": _(ONE_SAMPLE), "batch_size": None, "epochs": state.epoch,
                      "training_loss": network.total_loss(net, state.inputs, state.targets), "test_loss": None,
                      "training_accuracy": None, "test_accuracy": None}
    result, classes = scores.evaluated(net, data), data_settings.dataset_of(data).classes
    return row | {"data": described(data), "batch_size": data["batch_size"],
                  "epochs": state.epoch + data["position"] / data_settings.batch_count(data) if data["position"]
                  else state.epoch,
                  "training_loss": result.training_loss, "test_loss": result.test_loss,
                  "training_accuracy": percent(result.training_right, result.training_count) if classes else None,
                  "test_accuracy": percent(result.test_right, result.test_count) if classes else None}


def activations(keys: list[str]) -> str:
    """Layer after layer, a repeated one counted: "ReLU ×2, Sigmoid"."""
    repeats = [(key, len(list(run))) for key, run in itertools.groupby(keys)]
    return ", ".join(ACTIVATIONS[key].name + (f" ×{count}" if count > 1 else "") for key, count in repeats)


def described(data: dict) -> str:
    inputs = ", ".join(names.feature(key) for key in data["inputs"])
    values = {"name": data_settings.name_of(data), "points": f"{data_settings.point_count(data):,}", "inputs": inputs,
              "noise": data["noise"], "test_share": data["test_share"], "seed": data["seed"]}
    if is_own(data):
        return _("%(name)s: %(points)s points; inputs %(inputs)s") % values
    return _("%(name)s: %(points)s points, noise %(noise)s\u00a0%%, test %(test_share)s\u00a0%%, seed %(seed)s; "
             "inputs %(inputs)s") % values


def percent(right: int, count: int) -> float | None:
    return 100 * right / count if count else None


# ---- the stored runs, read back ----------------------------------------------------------------

def read(text: str | None) -> tuple[list[dict], str | None]:
    """The stored runs that can be read, and what could not be (None: everything could)."""
    if text is None:
        return [], None
    if len(text) > MAX_STORED:
        return [], unreadable(_("they take %(count)s characters, more than %(most)s")
                              % {"count": f"{len(text):,}", "most": f"{MAX_STORED:,}"})
    try:
        saved = json.loads(text)
    except RecursionError:
        return [], unreadable(_("they are nested too deeply"))
    except ValueError:
        return [], unreadable(_("they are not JSON"))
    if not isinstance(saved, dict) or saved.get("version") != VERSION or not isinstance(saved.get("runs"), list):
        return [], unreadable(_("they are not a list of runs of version %(version)s") % {"version": VERSION})
    rows = [row for row in saved["runs"] if readable(row)][-MOST:]
    left = len(saved["runs"]) - len(rows)
    return rows, ngettext("%(count)s saved run could not be read and is left out.",
                          "%(count)s saved runs could not be read and are left out.", left) % {"count": f"{left:,}"} \
        if left else None


def unreadable(why: str) -> str:
    return _(UNREADABLE) % {"why": why}


def readable(row) -> bool:
    if not isinstance(row, dict) or set(row) != set(runs_view.COLUMNS):
        return False
    return (all(isinstance(row[key], str) and len(row[key]) <= MAX_TEXT for key in TEXTS)
            and all(number(row[key]) for key in NUMBERS)
            and all(row[key] is None or number(row[key]) for key in runs_view.COLUMNS if key not in TEXTS + NUMBERS))


def number(value) -> bool:
    """A number as a run keeps it: never negative (a diverged loss may be infinite or NaN)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not value < 0
