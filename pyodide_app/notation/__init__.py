"""The bottom layer: how neurons, layers and weights are named, and how numbers are written.

Everything above (the maths' records, the state, practice, the views) may import it; it
imports nothing of the app."""
