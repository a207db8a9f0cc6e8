"""What the page receives from Python for one message, as the worker sends it."""


def saved(session, reply: dict) -> str:
    """The network the page keeps after this answer. An edit's answer holds what is on screen;
    the rest, which the worker sends right after it, holds the other parts and the save."""
    return reply["save"] if "save" in reply else session.on_rest()["save"]


def feature(session, kind: type):
    """The session's feature of this class, for a test that looks inside it."""
    return next(f for f in session.features if isinstance(f, kind))
