"""The messages between the page (main thread) and Python (in a Web Worker), written down once.

Start-up (worker.js, before Python runs; see site_src/static/worker.js):

    page → worker    init      {path: "http" | "file", indexURL, appFiles, libraries,
                                payloads?, scripts?}       from disk: Pyodide's files, its
                                                       scripts as blobs and blob URLs
    worker → page    status    {text, stage}           how far start-up is
                     failed    {message}               Python could not start: the page keeps
                                                       its pre-rendered numbers and says why
                     ready     {started, maxFileBytes} "snapshot" or "plain"

Then every message from the page is one JSON text, {kind, ...fields}, answered by exactly
one `update` (a JSON text, "{}" when nothing changes). While training the worker also sends
{kind: "training", update}, at most one per frame the page draws. An edit's answer holds the
parts of the page on screen and says {later: true}; unless another message comes first, the
worker then sends {kind: "rest", update} with the parts off screen (an update saying
{later: true} is always followed by a "rest", the last one by the latest).

    kind       fields                 what it does
    start      fragment, stored,      opens the link's, the stored or the starting network
               starting               (the page's own, as built: its Reset goes back to it)
    field      field, text            a number typed into a field ("weights[0][1][2]")
    range      field, text            a slider moved
    speed      value                  "slow" | "normal" | "fast"
    step       —                      one training step
    train      —                      Train, or Pause while training
    reset      —                      back to the seed
    nudge      edge, amount           an arrow key on a diagram line ("edge-2-1-0")
    edge       edge                   a line pointed at or focused: its weight in words
    point      id                     a neuron pointed at, focused or tapped ("node-2-1"), or a
                                      formula's term naming its line ("edge-2-1-0"): light them
    leave      —                      nothing pointed at any more: back to the selection's light
    select     id                     a line or neuron clicked, tapped or chosen with Space
    clear      —                      Clear selection, or Escape
    hash       fragment               the address's fragment changed
    import     name, text             a file's text, to load
    tooLarge   name, size             a file too large to read
    copyLink   —                      the link of this network
    export     —                      this network as a file
    notebook   —                      this network as a Jupyter notebook (view/code_export.py)
    script     —                      this network as a NumPy script
    latex      id                     Copy LaTeX: the card ("f2-1", "b2-1", "L", "u") or the
                                      selected line or neuron ("edge-2-1-0") as LaTeX
    visible    parts, editorOpen      which parts of the page are on screen
    reveal     —                      a part came into view (or printing): redraw it now
    drawn      —                      the page drew the last training update
    sizes      text                   Layer sizes typed ("3-4-2"), sent on Enter or leaving the field
    activation layer, key             an activation chosen for layer `layer` after the input
    loss       key                    a loss chosen
    preset     key                    a preset chosen
    seed       text                   the Random seed typed
    randomise  —                      new random weights from that seed
    practice   —                      the Practice button: practice starts or stops
    practiceKinds  kinds              the kinds of result hidden and asked (practice.py KINDS)
    practiceAnswer key, text          an answer typed into the box of question `key` ("a-2-0")
    worksheet  —                      open the worksheet view (pyodide_app/worksheet.py)
    sheetClose —                      it was closed
    sheetOptions paper, kinds, weights  the paper ("a4" | "letter"), the computations ticked and
                                      the weights ("seed" | "page": drawn from the seed, the page's)
    sheetSeed  text                   the worksheet's Seed typed
    sheetNew   —                      New exercise: a seed drawn afresh
    classSet   text                   the Copies of a class set typed: its sheets are drawn
    sheetLatex —                      Download LaTeX: the worksheet and its key as a .tex file
    check      open                   the Gradient check section opened (true) or closed
    walk       —                      Walk through: the walk-through of one training step, from
                                      its first step (training pauses)
    walkNext   —                      its next step (reaching the last applies the update; from
                                      the last, a walk through the next training step)
    walkPrevious —                    its step before (from the last, the update taken back)
    walkExit   —                      the walk ends
    dataset    key                    a dataset chosen (data/generators.py), "" for one sample
    dataSetting name, text            points, noise, test_share, seed or batch_size typed ("all")
    dataInputs keys                   the inputs ticked (data/inputs.py)
    shown      text                   the shown point's number (1 …), typed, clicked or tapped
    shownStep  amount                 ← (−1) or → (1): the point before or after it in the batch
    ownData    text                   a CSV file's text, imported, dropped or pasted
    ownColumns target, inputs         own data's target column and input columns chosen
    ownScale   on                     Scale inputs to −1…1 ticked (true) or not
    ownDraw    x, y, label, near      a click on the plot while drawing, on its plane [−6, 6]²:
                                      the point within `near` taken away, else one of class
                                      `label` added
    runsStored text                   the runs kept in storage (null: none), once live
    runsExport —                      Export runs (CSV)
    runsClear  —                      Clear runs

    worker → page    update    any of (structure first: the rest may write into it):
        structure    {element id: HTML}    parts re-drawn for a new structure, from the build's
                                           templates: swap them in, then apply the rest
        design       {data-design: value}  the Network panel's text fields
        batch        {text, attrs, fields, ranges, force}  values to write (view/changes.py)
        fieldErrors  {field: message}      "" clears a field's error
        ranges       {field: value}        sliders to set
        notice       {text, error}         the notice line
        training     {text, warning}       the training status line
        check        HTML of the open Gradient check section: its table and verdict
        highlight    {ids, scroll}         elements to light (the rest of the diagram dims; [] ends
                                           it) and the one the walk brings into view, or null
        later        true: the parts off screen follow in a "rest" update
        walk         {active, caption, counter, position, total, table}: the walk-through's step (table:
                     a batch's shares, {caption, head, rows}, or null)
                     ("Step k of N", k = position); {active: false}: it ended; refused?: why
                     Walk through cannot start, said beside it ("" when that no longer holds)
        trainButton  "Train" | "Pause"
        speed        the speed select's value
        readout      text under the diagram
        selection    HTML of the panel beside the diagram for the selected line or neuron; "" hides it
        chain        HTML of that panel's chain rule (#chain), new numbers while the selection stays
        save         JSON text for local storage
        forgetLink   true: take the link off the address bar
        link         fragment: put it in the address bar and copy the whole link
        download     {name, text, type?}: offer a file (type: its media type, else JSON)
        latex        {id, text}: the LaTeX asked for by `latex` ("" if there is none), to copy
        share        text for the share status line
        warning      text for the browser's console: an action failed in Python
        practice     {on: false} when practice stops, else {on: true, kinds, score, hide: [data-v
                     keys to show as "?"], boxes: [{k: key, l: label, at: id of the card for the
                     box, or "" for the value's own table cell, a: answer typed, v: verdict,
                     c: "right" | "wrong" | "nan" | "", h: the Show how text}], panel?: the
                     panel's HTML (when it changed), said?: a verdict to announce}
        dataPanel    {on?, values?, errors?, own?}: the Data panel: whether a dataset is on, its controls'
                     values ({dataset, points, …, inputs: [keys]}), messages by control ("" clears);
                     own: {text, error?, open?}: what became of a CSV (open: show where to paste one)
        plot         {on: false}, or {on: true, shown, batch: [indices], points?: {x, y, label, test,
                     classes, name, tx?, ty?}, heat?: {n, bytes (base64, a byte a cell, rows from the top), low,
                     high}, summary?, readout?, outputs?, predicted?}: what the plot paints
        runs         {head, rows, store?, message?, error?}: the Runs table's texts, what to keep in
                     storage, and what became of the last action on it
        worksheet    any of {css, view, sheets, errors, seed}, applied in that order:
                     css: the view's styles, to adopt; view: the view's HTML, in place of
                     the rest of <main>; sheets: the printed part again (the page cuts it into
                     pages); errors: {"seed" | "copies": message} ("" clears); seed: the Seed
                     field's text
        compare      {on: false}, or {on: true, design?: {sizes, layers: [{title, key, choices}]},
                     diagram?: SVG, heat?: as the plot's, table?: rows, chart?: {lines, ticks,
                     caption}, target?, errors?: {control: message}}: the second network
        lesson       {key, instruction}: the lesson chosen and its two sentences ("" for none)
"""

from __future__ import annotations

from .saved import LINK_PREFIX
from .view.page import PARTS

# kind → the message's fields, in the order its handler takes them. Each kind is handled by
# the one feature that declares it (features/, Feature.messages), or by the session itself
# (start, visible).
MESSAGES = {
    "start": ("fragment", "stored", "starting"),
    "field": ("field", "text"),
    "range": ("field", "text"),
    "speed": ("value",),
    "step": (),
    "train": (),
    "reset": (),
    "nudge": ("edge", "amount"),
    "edge": ("edge",),
    "point": ("id",),
    "leave": (),
    "select": ("id",),
    "clear": (),
    "hash": ("fragment",),
    "import": ("name", "text"),
    "tooLarge": ("name", "size"),
    "copyLink": (),
    "export": (),
    "notebook": (),
    "script": (),
    "latex": ("id",),
    "visible": ("parts", "editorOpen"),
    "reveal": (),
    "drawn": (),
    "sizes": ("text",),
    "activation": ("layer", "key"),
    "loss": ("key",),
    "preset": ("key",),
    "seed": ("text",),
    "randomise": (),
    "practice": (),
    "practiceKinds": ("kinds",),
    "practiceAnswer": ("key", "text"),
    "worksheet": (),
    "sheetClose": (),
    "sheetOptions": ("paper", "kinds", "weights"),
    "sheetSeed": ("text",),
    "sheetNew": (),
    "classSet": ("text",),
    "sheetLatex": (),
    "check": ("open",),
    "walk": (),
    "walkNext": (),
    "walkPrevious": (),
    "walkExit": (),
    "dataset": ("key",),
    "dataSetting": ("name", "text"),
    "dataInputs": ("keys",),
    "shown": ("text",),
    "shownStep": ("amount",),
    "ownData": ("text",),
    "ownColumns": ("target", "inputs"),
    "ownScale": ("on",),
    "ownDraw": ("x", "y", "label", "near"),
    "runsStored": ("text",),
    "runsExport": (),
    "runsClear": (),
    "compare": (),
    "secondSizes": ("text",),
    "secondActivation": ("layer", "key"),
    "equalSize": (),
    "swap": (),
    "targetLoss": ("text",),
    "lesson": ("key",),
}

REPLY_KEYS = ("structure", "design", "batch", "fieldErrors", "ranges", "notice", "training", "highlight", "later", "trainButton", "speed", "readout",
              "save", "forgetLink", "link", "download", "latex", "share", "warning", "practice",
              "worksheet", "selection", "chain", "check", "walk", "dataPanel", "plot", "runs",
              "compare", "lesson")

Reply = dict  # what an action returns: the update's keys above


def notice(message: str, error=False) -> Reply:
    return {"notice": {"text": message, "error": error}}


# ---- what the page's scripts share with Python: the build writes it into protocol.js
# (generator/page_constants.py), so no script copies it by hand

def message_kinds() -> tuple[str, ...]:
    """The kinds of message the page may send."""
    return tuple(MESSAGES)


def shared_with_page() -> dict:
    """kinds: message_kinds(); parts: the parts of the page whose numbers are written only
    while on screen (the `visible` message names them); linkPrefix: how the address's
    fragment starts when it holds a network."""
    return {"kinds": list(message_kinds()), "parts": list(PARTS), "linkPrefix": LINK_PREFIX}
