"""The worksheet in CPython: its exercise gives the givens and no answer, its key holds the numpy
oracle's answers, for networks of every kind the page allows; a class set has a sheet per seed,
each key matching its own network; the view's messages, their refusals and the seed in the link."""

from __future__ import annotations

import json
import re

import pytest

from pyodide_app import design, training
from pyodide_app.session import Session
from pyodide_app.state import from_fragment, from_preset, load_seed, parse, to_data, to_fragment
from pyodide_app.view import worksheet as view
from pyodide_app.worker import Worker
from replies import feature, saved
from pyodide_app.features.worksheet import WEIGHTS, Worksheet, as_posed
from worksheet_text import answers_shown, articles, fmt, givens, html_text, missing_answers, wrong_results

ALL = tuple(view.KINDS)


def network(sizes=None, activations=None, loss=None, targets=None):
    state = load_seed()
    if sizes:
        state = design.resized(state, sizes)
    if activations or loss:
        state = design.redesigned(state, activations=activations, loss=loss)
    if targets:
        state.targets[:] = targets
    return state


NETWORKS = {
    "seed: sigmoid, 3-4-3-2-2, mean squared error": lambda: network(),
    "tanh, ReLU, leaky ReLU hidden, linear output": lambda: network([3, 4, 3, 2, 2], ["tanh", "relu", "leaky_relu",
                                                                                       "linear"]),
    "sigmoid with cross-entropy": lambda: network([2, 3, 2], ["sigmoid", "sigmoid"], "cross_entropy"),
    "softmax with cross-entropy": lambda: network([2, 3, 3], ["tanh", "softmax"], "cross_entropy",
                                                   [0.0, 1.0, 0.0]),
    "softmax with mean squared error": lambda: network([2, 2, 3], ["sigmoid", "softmax"], "mse",
                                                        [0.2, 0.7, 0.1]),
    "no hidden layer": lambda: network([2, 1], ["sigmoid"]),
    "the largest: 8-8-8-8-8-8": lambda: network([8, 8, 8, 8, 8, 8], ["relu"] * 4 + ["sigmoid"]),
}


def render(state, seed: int, kinds=ALL) -> str:
    session = Session(state)
    session.state = state.copy()
    session.state.worksheet_seed = seed
    feature(session, Worksheet).kinds = kinds
    return feature(session, Worksheet).render("worksheet_sheets.html")


@pytest.mark.parametrize("name", NETWORKS)
@pytest.mark.parametrize("seed", [0, 1, 4711, 10 ** 6])
def test_the_exercise_gives_the_givens_and_no_answer_and_the_key_holds_the_oracles(name, seed):
    state = NETWORKS[name]()
    data = to_data(design.exercise(state, seed))
    html = render(state, seed)
    [exercise], [key] = articles(html, key=False), articles(html, key=True)
    assert f"Exercise · Seed {seed}" in exercise and f"Answer key · Seed {seed}" in key
    assert "Name" in exercise and "Date" in exercise
    assert givens(data) <= {word.strip("()") for word in exercise.split()}
    assert f"α = {data['learning_rate']:g}" in exercise
    assert answers_shown(exercise, data) == set()
    assert missing_answers(key, data) == [] and wrong_results(key, data) == []
    blanks = html.split("<article", 2)[1].count('class="blank"')
    sizes = data["sizes"]
    neurons, weights = sum(sizes[1:]), sum(a * b for a, b in zip(sizes, sizes[1:]))
    assert blanks == 2 * neurons + (sizes[-1] + 1) + neurons + weights + neurons


def test_a_sheet_is_the_pages_design_with_weights_and_biases_from_its_seed():
    state = NETWORKS["tanh, ReLU, leaky ReLU hidden, linear output"]()
    first, again, other = (design.exercise(state, seed) for seed in (12, 12, 13))
    assert first == again and first.network.weights != other.network.weights
    for drawn in (first, other):
        net = drawn.network
        assert (net.sizes, net.activations, net.loss) == (state.network.sizes, state.network.activations,
                                                          state.network.loss)
        assert (drawn.inputs, drawn.targets, drawn.learning_rate) == (state.inputs, state.targets,
                                                                       state.learning_rate)
        biases = [b for layer in net.biases for b in layer]
        assert all(-0.5 <= b <= 0.5 and round(b, 2) == b for b in biases) and len(set(biases)) > 3
    assert state == NETWORKS["tanh, ReLU, leaky ReLU hidden, linear output"]()  # the page's network is left alone


@pytest.mark.parametrize("kinds, given_symbols", [
    (("deltas",), ("z", "a")),
    (("weights",), ("z", "a", "δ")),
    (("loss",), ("z", "a")),
    (("forward", "weights"), ("δ",)),
])
def test_what_a_sheet_does_not_ask_for_but_needs_is_given(kinds, given_symbols):
    state = network()
    data = to_data(design.exercise(state, 5))
    html = render(state, 5, kinds)
    [exercise], [key] = articles(html, key=False), articles(html, key=True)
    table = exercise[exercise.index("Given results"):]
    head = next(line.strip() for line in table.split("\n") if "Neuron" in line)
    assert head == " ".join(("Neuron",) + given_symbols)
    assert answers_shown(exercise, data, kinds) == set()
    assert missing_answers(key, data, kinds) == [] and wrong_results(key, data, kinds) == []
    titles = [view.TITLES[kind] for kind in view.KINDS]
    assert [title for title in titles if title in key] == [view.TITLES[kind] for kind in kinds]
    if "forward" not in kinds:  # its results are given: an a of the exercise is a number, not a symbol
        assert "aH1-1 ×" not in exercise and "zH1-1 =" not in key


def run_of(head: str) -> str:
    """What a task line's results share with their row: a layer's sums (zH1), activations,
    δs; the updates into one neuron; the loss's terms; L."""
    if head.startswith(("new w", "new b")):
        return head.split("→")[-1].removeprefix("new b")
    if head[0] in "zaδ":
        return head[0] + head[1:].rsplit("-", 1)[0]
    return "L" if head == "L" else "term"


@pytest.mark.parametrize("name", ["seed: sigmoid, 3-4-3-2-2, mean squared error", "no hidden layer"])
def test_each_run_of_tasks_starts_a_row_of_its_own(name):
    html = render(NETWORKS[name](), 1).split('<article class="sheet key"')[0]
    for section in html.split("<h4>")[2:]:  # after the givens
        items = re.findall(r'<div class="break"></div>|<p class="task">(.*?)</p>', section)
        runs = [run_of(html_text(item).split(" = ")[0]) if item else "break" for item in items]
        tasks = [run for run in runs if run != "break"]
        rows = [tasks[0]] + [b for a, b in zip(tasks, tasks[1:]) if a != b]  # a new row at every change
        assert [run for k, run in enumerate(runs) if k == 0 or runs[k - 1] == "break"] == rows


def test_with_every_computation_asked_nothing_is_given_but_the_network():
    exercise = articles(render(network(), 3), key=False)[0]
    assert "Given results" not in exercise


def test_no_computation_chosen_says_so():
    assert "Choose at least one computation" in html_text(render(network(), 3, ()))


# ---- the view's messages ---------------------------------------------------------------

def opened(state=None) -> tuple[Session, dict]:
    session = Session()
    session.start("", None if state is None else json.dumps(to_data(state)))
    return session, session.handle("worksheet")["worksheet"]


def test_the_view_opens_with_its_styles_and_a4_paper():
    _, reply = opened()
    assert "@page { size: A4;" in reply["css"] and "210mm" in reply["css"]
    text = html_text(reply["view"])
    assert 'id="sheet-seed" inputmode="numeric" value="1"' in reply["view"]
    for label in ("Seed", "Paper", "New exercise", "Print", "Close worksheet", "Activations", "Loss", "δs",
                  "New weights", "Copies", "Print a class set"):
        assert label in text
    assert text.count("Exercise · Seed 1") == 1 and text.count("Answer key · Seed 1") == 1


def test_letter_paper_changes_the_styles_only():
    session, _ = opened()
    reply = session.handle("sheetOptions", "letter", list(ALL))["worksheet"]
    assert "@page { size: letter;" in reply["css"] and "8.5in" in reply["css"] and "sheets" not in reply
    assert session.handle("sheetOptions", "letter", list(ALL)) == {}
    assert session.handle("sheetOptions", "A3", list(ALL)) == {}  # not a paper: ignored
    reply = session.handle("sheetOptions", "letter", ["loss", "nonsense"])["worksheet"]
    assert "Backpropagation" not in reply["sheets"] and "Loss" in reply["sheets"]
    assert session.handle("sheetOptions", "letter", "loss")["worksheet"]["sheets"].count("Choose at least one") == 1


@pytest.mark.parametrize("text, message", [
    ("abc", "Copies is not a number: 'abc'"),
    ("", "Copies is empty: type a number"),
    ("0", "Copies must be a whole number from 1 to 60"),
    ("61", "Copies must be a whole number from 1 to 60"),
    ("2.5", "Copies must be a whole number from 1 to 60"),
    ("1e309", "Copies is too large: 1e309 is beyond the largest number"),
    (None, "Copies must be a number"),
])
def test_a_class_set_of_a_bad_size_is_refused_and_nothing_prints(text, message):
    session, _ = opened()
    reply = session.handle("classSet", text)
    assert reply == {"worksheet": {"errors": {"copies": message}}}
    assert feature(session, Worksheet).copies == 1


def test_a_class_set_is_a_sheet_per_seed_then_every_key_each_its_own_networks():
    session, _ = opened()
    session.handle("sheetSeed", "999999")
    reply = session.handle("classSet", " 3 ")["worksheet"]
    assert reply["errors"] == {"copies": ""} and "print" not in reply  # the page prints, in the reader's click
    html = reply["sheets"]
    seeds = [999999, 1000000, 0]  # from the seed on, wrapping round past the largest
    heads = [line for line in html_text(html).split("\n") if "· Seed" in line]
    assert heads == [f"Exercise · Seed {s}" for s in seeds] + [f"Answer key · Seed {s}" for s in seeds]
    exercises, keys = articles(html, key=False), articles(html, key=True)
    networks = [to_data(design.exercise(session.state, seed)) for seed in seeds]
    assert len({json.dumps(data["weights"]) for data in networks}) == 3
    for exercise, key, data in zip(exercises, keys, networks):
        assert answers_shown(exercise, data) == set()
        assert missing_answers(key, data) == [] and wrong_results(key, data) == []
    for data, other in zip(networks, networks[1:] + networks[:1]):  # a key fits its own network only
        assert missing_answers(keys[networks.index(data)], other)
    again = session.handle("classSet", "3")["worksheet"]
    assert again == {"errors": {"copies": ""}}  # the same sheets: not sent again


def test_this_pages_weights_give_mazurs_example_and_the_oracles_key():
    state = from_preset("mazur")
    session, _ = opened(state)
    reply = session.handle("sheetOptions", "a4", list(ALL), "page")["worksheet"]
    [exercise], [key] = articles(reply["sheets"], key=False), articles(reply["sheets"], key=True)
    assert "Exercise · Mazur's worked example (2-2-2)" in exercise and "Weights and biases as posed on the page" in exercise
    data = to_data(state)
    assert givens(data) <= {word.strip("()") for word in exercise.split()}
    assert answers_shown(exercise, data) == set()
    assert missing_answers(key, data) == [] and wrong_results(key, data) == []
    # a class set of the page's network: copies of its sheet, and one key
    html = session.handle("classSet", "3")["worksheet"]["sheets"]
    assert articles(html, key=False) == [exercise] * 3 and articles(html, key=True) == [key]
    # its sheets follow the page's weights (the seed's do not)
    assert "0.1234" in session.handle("field", "weights[0][0][0]", "0.1234")["worksheet"]["sheets"]
    html = session.handle("sheetOptions", "a4", list(ALL), "no such weights")["worksheet"]["sheets"]  # the seed's
    assert re.findall(r"Exercise · \w+ \w+", html_text(html)) == [f"Exercise · Seed {k}" for k in (1, 2, 3)]


def test_this_pages_weights_after_training_are_given_and_worked_with_6_decimals():
    state = load_seed()
    training.one_step(state)
    posed = to_data(as_posed(state))
    weights = [w for layer in posed["weights"] for row in layer for w in row]
    assert any(round(w, 4) != w for w in weights) and all(round(w, 6) == w for w in weights)
    session, _ = opened(state)
    html = session.handle("sheetOptions", "a4", list(ALL), "page")["worksheet"]["sheets"]
    [exercise], [key] = articles(html, key=False), articles(html, key=True)
    assert {fmt(w, 6 if round(w, 4) != w else 4) for w in weights} <= {word.strip("()") for word in exercise.split()}
    assert missing_answers(key, posed) == [] and wrong_results(key, posed) == []


def test_the_seed_typed_is_saved_and_kept_in_the_link():
    session, _ = opened()
    reply = session.handle("sheetSeed", "42")
    assert reply["worksheet"]["seed"] == "42" and "Exercise · Seed 42" in html_text(reply["worksheet"]["sheets"])
    assert parse(saved(session, reply)).worksheet_seed == 42
    assert from_fragment(session.handle("copyLink")["link"]).worksheet_seed == 42
    for text, message in (("x", "Seed is not a number: 'x'"), ("-1", "Seed must be a whole number from 0 to 1,000,000"),
                          ("1000001", "Seed must be a whole number from 0 to 1,000,000")):
        assert session.handle("sheetSeed", text) == {"worksheet": {"errors": {"seed": message}}}
    assert session.state.worksheet_seed == 42
    assert session.handle("sheetSeed", "42") == {"worksheet": {"errors": {"seed": ""}}}


def test_a_link_brings_back_the_worksheets_seed():
    state = load_seed()
    state.worksheet_seed = 777
    session = Session()
    session.start("#" + to_fragment(state), None)
    assert "Exercise · Seed 777" in html_text(session.handle("worksheet")["worksheet"]["view"])


def test_new_exercise_draws_another_seed_and_saves_it():
    session, _ = opened()
    seen = set()
    for _ in range(5):
        before = session.state.worksheet_seed
        reply = session.handle("sheetNew")
        seed = session.state.worksheet_seed
        assert seed != before and 0 <= seed <= 10 ** 6 and reply["worksheet"]["seed"] == str(seed)
        assert f"Exercise · Seed {seed}" in html_text(reply["worksheet"]["sheets"])
        assert parse(saved(session, reply)).worksheet_seed == seed
        seen.add(seed)
    assert len(seen) == 5


def test_the_open_sheets_follow_the_pages_network_and_a_closed_view_costs_nothing():
    session, _ = opened()
    reply = session.handle("field", "inputs[0]", "0.25")
    assert "0.2500" in reply["worksheet"]["sheets"] and reply["worksheet"]["seed"] == "1"
    session.handle("sheetSeed", "42")
    reply = session.handle("reset")["worksheet"]  # the starting network, and its worksheet seed
    assert reply["seed"] == "1" and "Exercise · Seed 1" in html_text(reply["sheets"])
    assert "worksheet" not in session.handle("field", "weights[0][0][0]", "0.7")  # weights are the seed's, not the page's
    session.handle("sheetClose")
    assert "worksheet" not in session.handle("field", "inputs[0]", "0.35")


def test_the_worker_opens_the_view_as_json():
    worker = Worker()
    worker.handle(json.dumps({"kind": "start", "fragment": "", "stored": None}))
    reply = json.loads(worker.handle(json.dumps({"kind": "worksheet"})))
    assert reply["worksheet"]["view"].startswith('<section id="worksheet-view"')
    reply = json.loads(worker.handle(json.dumps({"kind": "classSet", "text": "abc"})))
    assert reply["worksheet"]["errors"]["copies"].startswith("Copies is not a number")


def test_the_worker_renders_its_shipped_templates_as_their_sources():
    """Shipped without their comments (generator/app_files.py), the templates still render the same."""
    import jinja2

    from generator import app_files
    from pyodide_app.view import render as page_render

    root = page_render.TEMPLATES.parent.parent
    shipped = {path.removeprefix("site_src/templates/"): text
               for path, text in app_files.template_files(page_render.TEMPLATES, root).items()}
    assert "{#" in (page_render.TEMPLATES / "worksheet.html").read_text(encoding="utf-8")
    assert "worksheet_sheets.html" in shipped and "/*" not in shipped["worksheet.css"]
    env = jinja2.Environment(loader=jinja2.DictLoader(shipped), autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    env.filters.update(page_render.environment().filters)
    env.globals.update(page_render.environment().globals)  # the catalog's _ and ngettext
    session, _ = opened()
    exercises, keys = feature(session, Worksheet).sheets()
    context = {"sheets": exercises, "keys": keys, "chosen": ALL, "kinds": view.KINDS, "seed": 1, "papers": {},
               "chosen_paper": "a4", "copies": 1, "weights": WEIGHTS, "chosen_weights": "seed"}
    for name in ("worksheet.html", "worksheet_sheets.html"):
        source = page_render.environment().get_template(name).render(context)
        assert page_render.collapse_whitespace(env.get_template(name).render(context)).strip() == \
            page_render.collapse_whitespace(source).strip()
    css = {"size": "A4", "width": "210mm", "height": "297mm"}
    source = page_render.environment().get_template("worksheet.css").render(css)
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)  # CSS comments are not shipped
    assert env.get_template("worksheet.css").render(css).split() == source.split()
