"""Everything that turns numbers into text: formatting, names, formulas, the diagram."""
