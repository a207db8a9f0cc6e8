"""The network as code: a NumPy script and a Jupyter notebook of the network on the page
(view/code_export.py), offered as files. Their printed numbers are every number of a step,
so they are refused while Practice hides some."""

from __future__ import annotations

from ..protocol import Reply
from ..view import code_export
from .base import Context, Feature
from ..translation import N_, _

HIDES = N_("The code would print the numbers Practice hides: stop Practice to download it.")


class Code(Feature):
    messages = ("notebook", "script")
    refused = {"notebook": HIDES, "script": HIDES}

    def __init__(self, context: Context):
        self.ctx = context

    def on_notebook(self) -> Reply:
        return self._download("ipynb", code_export.notebook)

    def on_script(self) -> Reply:
        return self._download("py", code_export.script)

    def _download(self, extension: str, write) -> Reply:
        reply = self.ctx.pause()
        name = f"neural-network-epoch-{self.ctx.state.epoch}.{extension}"
        return reply | {"download": {"name": name, "text": write(self.ctx.state)}, "share": (_("Downloaded %(name)s.")
                                                                                             % {"name": name})}
