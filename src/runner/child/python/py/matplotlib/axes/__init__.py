"""matplotlib.axes: the Axes a figure's data is drawn in."""
from matplotlib.axes._axes import Axes

__all__ = ['Axes']
