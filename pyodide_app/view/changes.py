"""What changed since the page was last written: only that crosses to the page.

A batch, as `dom.js` applies it:
    text    {key: text}            every element with data-v="key"
    attrs   {id: {name: value}}    attributes of one element
    fields  {data-field: value}    number fields, unless being typed in or marked invalid
    ranges  {data-range: value}    sliders
    force   true when a whole new state arrived: fields are replaced even while focused
"""

from __future__ import annotations


class Shown:
    """The values the page shows now, as far as the batches sent so far tell."""

    def __init__(self):
        self.text: dict[str, str] = {}
        self.attrs: dict[str, dict[str, str]] = {}
        self.fields: dict[str, str] = {}

    def batch(self, text: dict[str, str], attrs: dict[str, dict[str, str]], fields: dict[str, str],
              ranges: dict[str, str], force: bool = False) -> dict:
        """The batch that brings the page to these values; `ranges` holds the slider value of
        every field that has one. With `force`, every field is written again."""
        if force:
            self.fields.clear()
        changed_fields = changed(self.fields, fields)
        return {
            "text": changed(self.text, text),
            "attrs": {key: diff for key, values in attrs.items()
                      if (diff := changed(self.attrs.setdefault(key, {}), values))},
            "fields": changed_fields,
            "ranges": {field: ranges[field] for field in changed_fields if field in ranges},
            "force": force,
        }


def changed(shown: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """The entries of `new` that differ from `shown`; `shown` is brought up to date."""
    diff = {key: value for key, value in new.items() if shown.get(key) != value}
    shown.update(diff)
    return diff
