"""How Autograd Lab's matplotlib answers for what it lacks: a name real matplotlib has raises
NotImplementedError naming it, any other name the AttributeError matplotlib raises."""
from matplotlib._matplotlib_facts import ALIASES, NAMES


def unsupported(what):
    return NotImplementedError('%s is not supported by Autograd Lab yet' % what)


def missing_module_attribute(module, name):
    if name in NAMES.get(module, ()):
        return unsupported('%s.%s' % (module, name))
    return AttributeError("module '%s' has no attribute '%s'" % (module, name))


def missing_attribute(obj, namespace, name):
    """For instances: `namespace` is the key of NAMES (e.g. 'Axes'), the error names the class."""
    cls = type(obj)
    if name in NAMES.get(namespace, ()):
        return unsupported('%s.%s.%s' % (cls.__module__.replace('._axes', ''), cls.__name__, name))
    return AttributeError("'%s' object has no attribute '%s'" % (cls.__name__, name))


def canonical_properties(kwargs, artist):
    """Resolves aliases (lw → linewidth) of an artist's keyword properties; a duplicate is a
    TypeError as in matplotlib."""
    alias_of = {alias: name for name, aliases in ALIASES.get(artist, {}).items() for alias in aliases}
    out = {}
    for key, value in kwargs.items():
        name = alias_of.get(key, key)
        if name in out:
            raise TypeError('Got both %r and %r, which are aliases of one another' % (_given(kwargs, name), key))
        out[name] = value
    return out


def _given(kwargs, name):
    return name if name in kwargs else next(k for k in kwargs if k != name)


def check_properties(props, supported, artist, error):
    """Properties matplotlib's artist has (a `set_<name>` method) but we don't draw yet raise
    NotImplementedError; unknown ones raise matplotlib's own error (`error(name)`)."""
    for name in props:
        if name in supported:
            continue
        if 'set_' + name in NAMES.get(artist, ()):
            raise unsupported('the %s property %r' % (artist, name))
        raise error(name)
