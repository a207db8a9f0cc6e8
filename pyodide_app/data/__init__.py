"""Data to learn from: datasets of the plane (generators), the input features made from a
point (inputs), and a dataset as the network sees it (dataset)."""
