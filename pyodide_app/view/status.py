"""The status bar on data: the epoch, the mean loss over the training points and over the test
points, and for classes the share of each set classified right (data/evaluation.py works them
out). With one sample the status bar is the epoch and the loss, as the page's values have them."""

from __future__ import annotations

from ..data import settings as data_settings
from ..data.scores import evaluated
from ..notation.numbers import localized
from ..translation import _


def readout(state, result=None) -> str:
    """`result`: the network's Evaluation on its data, if already worked out."""
    result = result or evaluated(state.network, state.data)
    line = (_("Epoch %(epoch)s · Training loss %(training_loss)s · Test loss %(test_loss)s")
            % {"epoch": localized(f'{state.epoch:,}'), "training_loss": localized(f'{result.training_loss:.6f}'),
               "test_loss": localized(f'{result.test_loss:.6f}')})
    if data_settings.dataset_of(state.data).classes:
        line += (_(" · Training accuracy %(share)s · Test accuracy %(share2)s")
                 % {"share": share(result.training_right, result.training_count),
                    "share2": share(result.test_right, result.test_count)})
    return line


def share(right: int, count: int) -> str:
    return localized(f"{100 * right / count:.1f} %") if count else "–"
