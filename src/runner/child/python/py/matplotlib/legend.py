"""matplotlib.legend.Legend: the box that names the lines."""
from matplotlib import _api
from matplotlib._matplotlib_facts import PARAMETERS, RC
from matplotlib.text import font_size

LOCATIONS = {'best': 0, 'upper right': 1, 'upper left': 2, 'lower left': 3, 'lower right': 4, 'right': 5,
             'center left': 6, 'center right': 7, 'lower center': 8, 'upper center': 9, 'center': 10}
_SUPPORTED = ('loc', 'fontsize', 'frameon', 'framealpha')


def _location(loc):
    if isinstance(loc, str):
        if loc not in LOCATIONS:
            raise ValueError('%r is not a valid value for loc; supported values are %s' % (loc, ', '.join(repr(k) for k in LOCATIONS)))
        return LOCATIONS[loc]
    if isinstance(loc, int) and not isinstance(loc, bool) and 0 <= loc <= 10:
        return loc
    if isinstance(loc, (tuple, list)):
        raise _api.unsupported('legend positions given as (x, y) coordinates')
    raise ValueError('%r is not a valid value for loc; supported values are %s' % (loc, ', '.join(repr(k) for k in LOCATIONS)))


class Legend:
    def __init__(self, parent, handles, labels, **kwargs):
        for name in kwargs:
            if name in _SUPPORTED:
                continue
            if name in PARAMETERS['Legend']:
                raise _api.unsupported('legend(%s=...)' % name)
            raise TypeError("Legend.__init__() got an unexpected keyword argument '%s'" % name)
        self.parent = parent
        self.legend_handles = list(handles)
        self.texts = [str(label) for label in labels]
        loc = kwargs.get('loc')
        self._loc = _location(RC['legend.loc'] if loc is None else loc)
        self._fontsize = font_size(kwargs['fontsize']) if kwargs.get('fontsize') is not None else RC['legend.fontsize']
        self._frameon = RC['legend.frameon'] if kwargs.get('frameon') is None else bool(kwargs['frameon'])
        self._framealpha = RC['legend.framealpha'] if kwargs.get('framealpha') is None else float(kwargs['framealpha'])

    def __str__(self):
        return 'Legend'

    def __getattr__(self, name):
        raise _api.missing_attribute(self, 'Legend', name)

    def get_texts(self):
        return list(self.texts)

    def _describe(self):
        entries = []
        for handle, label in zip(self.legend_handles, self.texts):
            d = handle._describe()
            entry = {'label': label, 'kind': d['kind']}
            if d['kind'] == 'line':
                entry.update({k: d[k] for k in ('color', 'alpha', 'linewidth', 'linestyle', 'marker')})
            else:
                sizes = d['sizes']
                entry.update({'marker': d['marker'], 'size': 0.5 * (max(sizes) + min(sizes)), 'facecolor': d['facecolors'][0],
                              'facealpha': d['facealphas'][0], 'edgecolor': d['edgecolors'][0], 'edgealpha': d['edgealphas'][0],
                              'linewidth': d['linewidths'][0]})
            entries.append(entry)
        return {'loc': self._loc, 'fontsize': self._fontsize, 'frameon': self._frameon, 'framealpha': self._framealpha,
                'entries': entries}
