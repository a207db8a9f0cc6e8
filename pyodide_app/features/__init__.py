"""The live page's features: each one object with one declared interface (base.Feature),
held by the session in one list (session.py) and asked in turn. No feature names another.

    Editing         fields, sliders, the speed, a line nudged or pointed at
    Training        Step, Train and Pause, Reset; training between messages
    NetworkPanel    layer sizes, activations, loss, presets, the random seed
    Data            a dataset to learn from, its settings and inputs, the shown point; the plot
    OwnData         own data: a CSV imported, dropped or pasted, its columns, scaling, points drawn
    Sharing         links, files (import, export), a file too large
    Runs            the Runs table: a row for each network trained and left; kept in storage, as CSV
    Code            the network as a NumPy script and a notebook (refused while values are hidden)
    Latex           a card or the selection's chain rule as LaTeX, for Copy LaTeX
    Practice        hides results and asks for them (hides values; saved, kept)
    Worksheet       printable exercise pages and their key (saved)
    Selection       linked highlighting, the selected line's chain rule (lights, priority 2)
    GradientCheck   every gradient against its central difference
    Walk            one training step told in order (lights, priority 1; refused while values are hidden)
    Compare         a second network beside the first, trained on the same batches (saved, kept)
    Lesson          a guided set-up: data, both networks, and what to look at
"""

from .code import Code
from .compare import Compare
from .data import Data
from .editing import Editing
from .gradient_check import GradientCheck
from .latex import Latex
from .lesson import Lesson
from .network_panel import NetworkPanel
from .own_data import OwnData
from .practice import Practice
from .runs import Runs
from .selection import Selection
from .sharing import Sharing
from .training import Training
from .walk import Walk
from .worksheet import Worksheet

# in the order they are asked: their parts of an answer follow in this order
FEATURES = (Editing, Training, NetworkPanel, Data, OwnData, Sharing, Runs, Code, Latex, Practice, Worksheet, Selection,
            GradientCheck,
            Walk, Compare, Lesson)
