"""Writes what Autograd Lab's `matplotlib` needs to know about the real one, from the real one:

  py/matplotlib/_matplotlib_facts.py   public names (a name matplotlib has but we lack raises
                                       NotImplementedError, any other name AttributeError), the
                                       rcParams defaults we draw with, named colours, marker paths
  test/figures/fixtures/ticks.json     view limits, tick locations, tick labels and offset texts
                                       for a set of data ranges and axes sizes
  test/figures/fixtures/layout.json    where matplotlib puts axes, labels, titles and legends
  test/figures/fixtures/tight.json     PNG sizes of savefig(bbox_inches='tight')
  test/figures/fixtures/rc.json        the rcParams of _matplotlib_facts.RC, for the TypeScript tests
  test/figures/fixtures/session.expected.txt
                                       what test/figures/fixtures/session.py prints

Run with an interpreter that has matplotlib and PyTorch (Debian's python3-matplotlib 3.6.3):
/usr/bin/python3 src/runner/child/python/gen_matplotlib_facts.py

Autograd Lab follows current matplotlib where it differs from 3.6: since 3.7 a subplot is an
`Axes` (3.6 printed `AxesSubplot`), so the session's expected text is rewritten to say so.
"""
import json
import os
import subprocess
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.collections  # noqa: E402
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.figure  # noqa: E402
import matplotlib.legend  # noqa: E402
import matplotlib.lines  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.text  # noqa: E402
import inspect  # noqa: E402
import pkgutil  # noqa: E402
import matplotlib.backend_bases  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.markers import MarkerStyle  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..', '..'))
FIXTURES = os.path.join(ROOT, 'test', 'figures', 'fixtures')

NAMESPACES = {
    'matplotlib': matplotlib,
    'matplotlib.pyplot': plt,
    'Figure': matplotlib.figure.Figure,
    'Axes': matplotlib.axes.Axes,
    'Line2D': matplotlib.lines.Line2D,
    'PathCollection': matplotlib.collections.PathCollection,
    'Text': matplotlib.text.Text,
    'Legend': matplotlib.legend.Legend,
}

# The rcParams defaults Autograd Lab draws with (font sizes resolved to points, colours to hex).
RC_KEYS = [
    'figure.figsize', 'figure.dpi', 'figure.facecolor', 'figure.edgecolor',
    'figure.subplot.left', 'figure.subplot.right', 'figure.subplot.bottom', 'figure.subplot.top',
    'figure.subplot.wspace', 'figure.subplot.hspace',
    'font.size', 'text.color',
    'axes.facecolor', 'axes.edgecolor', 'axes.linewidth', 'axes.titlesize', 'axes.titlepad',
    'axes.titlecolor', 'axes.labelsize', 'axes.labelpad', 'axes.labelcolor', 'axes.xmargin', 'axes.ymargin',
    'axes.formatter.limits', 'axes.formatter.offset_threshold', 'axes.unicode_minus',
    'xtick.major.size', 'xtick.major.width', 'xtick.major.pad', 'xtick.color', 'xtick.labelsize', 'xtick.labelcolor',
    'ytick.major.size', 'ytick.major.width', 'ytick.major.pad', 'ytick.color', 'ytick.labelsize', 'ytick.labelcolor',
    'grid.color', 'grid.linewidth', 'grid.linestyle', 'grid.alpha',
    'lines.linewidth', 'lines.linestyle', 'lines.markersize', 'lines.markeredgewidth',
    'lines.dashed_pattern', 'lines.dashdot_pattern', 'lines.dotted_pattern',
    'lines.solid_capstyle', 'lines.dash_capstyle', 'lines.solid_joinstyle', 'lines.dash_joinstyle',
    'scatter.marker', 'patch.linewidth',
    'legend.loc', 'legend.fontsize', 'legend.frameon', 'legend.framealpha', 'legend.edgecolor', 'legend.fancybox',
    'legend.borderpad', 'legend.labelspacing', 'legend.handlelength', 'legend.handleheight', 'legend.handletextpad',
    'legend.borderaxespad', 'legend.markerscale', 'legend.numpoints', 'legend.scatterpoints',
    'savefig.format', 'savefig.pad_inches',
]
FONT_SIZE_KEYS = {'axes.titlesize', 'axes.labelsize', 'xtick.labelsize', 'ytick.labelsize', 'legend.fontsize'}
COLOR_KEYS = {'figure.facecolor', 'figure.edgecolor', 'text.color', 'axes.facecolor', 'axes.edgecolor', 'axes.labelcolor',
              'xtick.color', 'ytick.color', 'grid.color', 'legend.edgecolor'}


def rc_value(key):
    value = matplotlib.rcParams[key]
    if key in FONT_SIZE_KEYS:
        return FontProperties(size=value).get_size_in_points()
    if key in COLOR_KEYS and value not in ('auto', 'inherit'):
        return mcolors.to_hex(value)
    if hasattr(value, 'name') and hasattr(value, 'value'):  # CapStyle, JoinStyle
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def public(obj):
    return sorted(n for n in dir(obj) if not n.startswith('_'))


def submodules():
    names = set()
    for info in pkgutil.walk_packages(matplotlib.__path__, 'matplotlib.'):
        if not any(part.startswith('_') for part in info.name.split('.')[1:]) and '.tests' not in info.name:
            names.add(info.name)
    return sorted(names)


def colours():
    named = {}
    for table in (mcolors.BASE_COLORS, mcolors.TABLEAU_COLORS, mcolors.CSS4_COLORS, mcolors.XKCD_COLORS):
        for name, value in table.items():
            named[name] = mcolors.to_hex(value)
    return named


def marker_paths():
    """Each marker's outline for a size of 1 point: (filled, [[code, x, y], ...]) with y up."""
    out = {}
    for name in MarkerStyle.markers:
        if not isinstance(name, str) or name in ('None', 'none', ' ', ''):
            continue
        style = MarkerStyle(name)
        path = style.get_path().transformed(style.get_transform())
        codes = path.codes if path.codes is not None else [1] + [2] * (len(path.vertices) - 1)
        out[name] = (bool(style.is_filled()), [[int(c), round(float(x), 6), round(float(y), 6)] for c, (x, y) in zip(codes, path.vertices)])
    return out


def write_facts():
    out = os.path.join(HERE, 'py', 'matplotlib', '_matplotlib_facts.py')
    lines = [
        '"""What matplotlib %s is, written by src/runner/child/python/gen_matplotlib_facts.py (do not edit).' % matplotlib.__version__,
        'NAMES: public names (one listed here that Autograd Lab lacks raises NotImplementedError, one not',
        'listed is an AttributeError, as under matplotlib); RC: the rcParams defaults used for drawing;',
        'CYCLE: the default colour cycle; COLORS: named colours as hex; ALIASES and PARAMETERS: keyword names matplotlib accepts;',
        'MARKERS: marker outlines for a 1-point size (filled, [code, x, y]), y up."""',
        '',
        'VERSION = %r' % matplotlib.__version__,
        '',
        'NAMES = {',
    ]
    for key, obj in NAMESPACES.items():
        lines.append('    %r: frozenset(%r.split()),' % (key, ' '.join(public(obj))))
    lines.append('}')
    lines.append('')
    lines.append('SUBMODULES = frozenset(%r.split())' % ' '.join(submodules()))
    lines.append('')
    lines.append('RC = {')
    for key in RC_KEYS:
        lines.append('    %r: %r,' % (key, rc_value(key)))
    lines.append('}')
    lines.append('')
    lines.append('CYCLE = %r' % [mcolors.to_hex(c) for c in matplotlib.rcParams['axes.prop_cycle'].by_key()['color']])
    lines.append('')
    lines.append('COLORS = %r' % colours())
    lines.append('')
    lines.append('ALIASES = %r' % {name: {k: list(v) for k, v in cls._alias_map.items()} for name, cls in (
        ('Line2D', matplotlib.lines.Line2D), ('Text', matplotlib.text.Text), ('PathCollection', matplotlib.collections.PathCollection))})
    lines.append('')
    lines.append('PARAMETERS = %r' % {name: [p for p in inspect.signature(fn).parameters if p not in ('self', 'args', 'kwargs')] for name, fn in (
        ('Legend', matplotlib.legend.Legend.__init__), ('figure', plt.figure), ('subplots', plt.subplots), ('scatter', plt.scatter),
        ('savefig', matplotlib.figure.Figure.savefig), ('print_figure', matplotlib.backend_bases.FigureCanvasBase.print_figure))})
    lines.append('')
    lines.append('SAVEFIG_FORMATS = %r' % sorted(plt.gcf().canvas.get_supported_filetypes()))
    lines.append('')
    lines.append('MARKERS = {')
    for name, (filled, path) in marker_paths().items():
        lines.append('    %r: (%r, %r),' % (name, filled, path))
    lines.append('}')
    lines.append('')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))
    print('wrote %s (%d bytes)' % (out, os.path.getsize(out)))


# ---- ticks: view limits, visible ticks, their labels and the offset text
TICK_DATA = [
    [0, 1], [1, 3], [-1, 1], [0, 100], [35.7, 81.9], [-4, 28], [0, 5000], [0.001, 0.002], [1e-6, 5e-6],
    [1e6, 2e6], [1e6, 1e6 + 5], [1000.1, 1000.2], [-200, -100], [5, 5], [0, 0], [2.5, 97.3], [-0.37, 0.81],
    [12345, 67890], [0.5, 0.5001], [1e9, 3e9], [-1e-3, 1e-3], [1, 10], [0, 7], [123.4, 123.9], [-3e5, 1e5],
    [20.5, 84.9], [0.01, 100], [99990, 100010], [1.5, 1.5000001],
]
FIGSIZES = [(6.4, 4.8), (3, 2), (14, 28), (9, 3)]


def visible_ticks(axis):
    axis.axes.figure.canvas.draw()
    ticks = axis._update_ticks()  # what matplotlib draws: the located ticks within the view
    return [float(t.get_loc()) for t in ticks], [t.label1.get_text() for t in ticks]


def axis_record(ax, which):
    axis = ax.xaxis if which == 'x' else ax.yaxis
    locs, labels = visible_ticks(axis)
    fig = ax.figure
    box = ax.get_position()
    length = (box.width * fig.get_size_inches()[0] if which == 'x' else box.height * fig.get_size_inches()[1]) * 72
    return {
        'view': [float(v) for v in (ax.get_xlim() if which == 'x' else ax.get_ylim())],
        'lengthPt': length,
        'located': [float(v) for v in axis.get_majorticklocs()],
        'ticks': locs,
        'labels': labels,
        'offset': axis.get_offset_text().get_text(),
    }


def tick_cases():
    cases = []
    for size in FIGSIZES:
        for data in TICK_DATA:
            fig = plt.figure(figsize=size)
            ax = fig.add_subplot(1, 1, 1)
            ax.plot(data, data)
            cases.append({'figsize': list(size), 'data': data, 'x': axis_record(ax, 'x'), 'y': axis_record(ax, 'y')})
            plt.close(fig)
    for limits in [(0, 7), (5, 0), (-1.5, 2.5), (0.1, 0.35), (1e-7, 3e-7), (2020, 2023)]:
        fig = plt.figure()
        ax = fig.add_subplot(1, 1, 1)
        ax.set_xlim(*limits)
        ax.set_ylim(*limits)
        cases.append({'figsize': [6.4, 4.8], 'limits': list(limits), 'x': axis_record(ax, 'x'), 'y': axis_record(ax, 'y')})
        plt.close(fig)
    for rows, cols in [(2, 2), (3, 2), (1, 3)]:
        fig, axs = plt.subplots(rows, cols, squeeze=False)
        ax = axs[0][0]
        ax.plot([0, 3.3], [-7, 120])
        cases.append({'figsize': [6.4, 4.8], 'grid': [rows, cols], 'data': [[0, 3.3], [-7, 120]], 'x': axis_record(ax, 'x'), 'y': axis_record(ax, 'y')})
        plt.close(fig)
    return cases


# ---- layout: where matplotlib puts things, in points from the figure's top-left corner
def box_pt(artist, fig, renderer):
    b = artist.get_window_extent(renderer)
    height = fig.get_size_inches()[1] * 72
    # at dpi 72 a pixel is a point; matplotlib's y grows upwards, SVG's downwards
    return [round(b.x0, 3), round(height - b.y1, 3), round(b.x1, 3), round(height - b.y0, 3)]


def layout_record(name, fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    axes = []
    for ax in fig.axes:
        rec = {'box': box_pt(ax.patch, fig, renderer)}
        for key, artist in (('xlabel', ax.xaxis.label), ('ylabel', ax.yaxis.label), ('title', ax.title)):
            if artist.get_text():
                rec[key] = box_pt(artist, fig, renderer)
        rec['xticklabels'] = [box_pt(t.label1, fig, renderer) for t in ax.xaxis._update_ticks()]
        rec['yticklabels'] = [box_pt(t.label1, fig, renderer) for t in ax.yaxis._update_ticks()]
        legend = ax.get_legend()
        if legend is not None:
            rec['legend'] = box_pt(legend.legendPatch, fig, renderer)
        rec['input'] = axes_input(ax)
        axes.append(rec)
    tight = fig.get_tightbbox(renderer)  # inches, from the bottom-left corner
    height = fig.get_size_inches()[1]
    record = {'name': name, 'size': [float(v) * 72 for v in fig.get_size_inches()], 'axes': axes,
              'tight': [round(v * 72, 3) for v in (tight.x0, height - tight.y1, tight.x1, height - tight.y0)]}
    fig.tight_layout()
    p = fig.subplotpars
    record['tightLayout'] = {'left': p.left, 'right': p.right, 'bottom': p.bottom, 'top': p.top, 'wspace': p.wspace, 'hspace': p.hspace}
    return record


def axes_input(ax):
    """What the renderer is given about these axes (test/figures/layout.test.ts builds descriptions from it)."""
    legend = ax.get_legend()
    rows, cols, start, _ = ax.get_subplotspec().get_geometry()
    return {
        'subplotspec': [rows, cols, start + 1],
        'position': [float(v) for v in ax.get_position().bounds],
        'xlim': [float(v) for v in ax.get_xlim()], 'ylim': [float(v) for v in ax.get_ylim()],
        'xlabel': ax.get_xlabel(), 'ylabel': ax.get_ylabel(), 'title': ax.get_title(),
        'lines': [[[float(v) for v in line.get_xdata()], [float(v) for v in line.get_ydata()]] for line in ax.lines],
        'scatters': [[[float(v) for v in c.get_offsets()[:, 0]], [float(v) for v in c.get_offsets()[:, 1]]] for c in ax.collections],
        'legend': None if legend is None else {'loc': legend._loc, 'labels': [t.get_text() for t in legend.get_texts()],
                                              'kinds': ['scatter' if isinstance(h, matplotlib.collections.Collection) else 'line'
                                                        for h in legend.legendHandles]},
    }


def layout_cases():
    out = []
    fig = plt.figure(dpi=72)
    plt.xlabel('Temperature (°Fahrenheit)')
    plt.ylabel('Temperature (°Celsius)')
    plt.plot([35.7, 55.9, 58.2, 81.9, 21.8], [0.5, 14.0, 15.0, 28.0, -4.0], 'o')
    out.append(layout_record('chapter 5 figure', fig))
    plt.close(fig)
    fig = plt.figure(dpi=72)
    plt.plot([0, 1, 2, 3], [0, 1, 4, 9], label='squares')
    plt.plot([0, 1, 2, 3], [9, 4, 1, 0], 'r--', label='falling')
    plt.title('Two lines')
    plt.legend()
    out.append(layout_record('legend best, title', fig))
    plt.close(fig)
    for loc in ['upper left', 'lower right', 'center']:
        fig = plt.figure(dpi=72)
        plt.plot([0, 10], [0, 1000], label='a')
        plt.scatter([5], [500], label='points b')
        plt.legend(loc=loc)
        out.append(layout_record('legend %s' % loc, fig))
        plt.close(fig)
    fig = plt.figure(dpi=72)
    plt.plot([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [5, 5, 5, 5, 5, 0, 0, 0, 9, 9], label='steps')
    plt.legend()
    out.append(layout_record('legend best avoids data', fig))
    plt.close(fig)
    fig = plt.figure(figsize=(9, 5), dpi=72)
    for i in range(1, 5):
        sub = fig.add_subplot(2, 2, i)
        sub.set_title('subplot %d' % i)
        sub.plot([0, i], [0, i * 1000])
    out.append(layout_record('2x2 subplots', fig))
    plt.close(fig)
    return out


def write_rc():
    path = os.path.join(FIXTURES, 'rc.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump({key: rc_value(key) for key in RC_KEYS}, f, indent=1)
        f.write('\n')
    print('wrote %s' % path)


# ---- savefig(bbox_inches='tight'): the sizes of the PNGs matplotlib writes
TIGHT_SCRIPTS = [
    'plt.xlabel("Temperature (°Fahrenheit)")\nplt.ylabel("Temperature (°Celsius)")\nplt.plot([35.7, 81.9, 21.8], [0.5, 28.0, -4.0], "o")',
    'plt.plot([0, 1, 2, 3], [0, 1, 4, 9], label="squares")\nplt.title("Two lines")\nplt.legend()',
]


def tight_cases():
    from PIL import Image
    import io
    cases = []
    for script in TIGHT_SCRIPTS:
        sizes = {}
        for dpi in (72, 100):
            plt.figure()
            exec(script, {'plt': plt})
            buf = io.BytesIO()
            plt.savefig(buf, format='png', bbox_inches='tight', dpi=dpi)
            plt.close('all')
            sizes[str(dpi)] = list(Image.open(io.BytesIO(buf.getvalue())).size)
        cases.append({'script': script, 'png': sizes})
    return cases


def write_json(name, data):
    path = os.path.join(FIXTURES, name)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump({'generator': 'src/runner/child/python/gen_matplotlib_facts.py', 'matplotlib': matplotlib.__version__, 'cases': data}, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print('wrote %s (%d bytes)' % (path, os.path.getsize(path)))


def to_current(text):
    """matplotlib 3.7 merged AxesSubplot into Axes: print what current matplotlib prints."""
    return text.replace('<AxesSubplot: ', '<Axes: ').replace('<AxesSubplot:', '<Axes: ').replace('AxesSubplot(', 'Axes(')


def write_session():
    script = os.path.join(FIXTURES, 'session.py')
    env = dict(os.environ, MPLBACKEND='Agg')
    done = subprocess.run([sys.executable, script], cwd=FIXTURES, env=env, capture_output=True, text=True, check=True)
    for name, text in (('session.expected.txt', done.stdout), ('session.expected-stderr.txt', done.stderr)):
        path = os.path.join(FIXTURES, name)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(to_current(text))
        print('wrote %s (%d bytes)' % (path, os.path.getsize(path)))


def main():
    write_facts()
    os.makedirs(FIXTURES, exist_ok=True)
    write_json('ticks.json', tick_cases())
    write_json('layout.json', layout_cases())
    write_json('tight.json', tight_cases())
    write_rc()
    write_session()


if __name__ == '__main__':
    main()
