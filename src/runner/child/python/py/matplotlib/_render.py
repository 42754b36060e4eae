"""Hands a figure's description to the renderer in the script process (TypeScript: Vega draws
the SVG, resvg rasterizes it) through the `_agl_figures` JS module."""
import json


def render(fig, fmt, dpi, tight_pad=None):
    """The figure drawn as `fmt` ('png' or 'svg') at `dpi`: bytes. `tight_pad`: savefig's
    pad_inches when bbox_inches='tight' (the output is cropped to what is drawn)."""
    import _agl_figures
    from pyodide.ffi import JsException
    description = json.dumps(fig._describe(), allow_nan=False)
    try:
        out = _agl_figures.render(description, fmt, float(dpi), None if tight_pad is None else float(tight_pad))
    except JsException as e:
        raise RuntimeError('Autograd Lab could not draw the figure: %s' % (e,)) from None
    if fmt == 'svg':
        return str(out).encode('utf-8')
    return bytes(out.to_bytes())


def tight_layout(fig, pad, h_pad, w_pad):
    """tight_layout()'s subplot parameters as a dict, {'warning': ...}, or None (nothing to adjust)."""
    import _agl_figures
    from pyodide.ffi import JsException
    description = json.dumps(fig._describe(), allow_nan=False)
    try:
        out = _agl_figures.tightLayout(description, float(pad), None if h_pad is None else float(h_pad), None if w_pad is None else float(w_pad))
    except JsException as e:
        raise RuntimeError('Autograd Lab could not lay out the figure: %s' % (e,)) from None
    result = json.loads(str(out))
    return None if result is None else result.get('params', result)


def prepare():
    """Starts loading the renderer in the background (a script that never imports pyplot pays nothing)."""
    import _agl_figures
    _agl_figures.prepare()


def show(fig):
    """Gives a figure to whoever displays figures (the panel, a notebook); returns False when none does."""
    import _agl_figures
    return bool(_agl_figures.show(json.dumps(fig._describe(), allow_nan=False)))
