"""Writes py/numpy/_numpy_names.py: the public names of NumPy's namespaces that Autograd Lab's
`numpy` stands in for, from the real package, moved to NumPy 2.x by numpy2_differences.py.
With it, `np.fft` raises NotImplementedError naming the feature (NumPy has it, Autograd Lab
doesn't yet), `np.no_such_thing` is NumPy's AttributeError, and `np.float_` NumPy 2's
AttributeError naming its replacement. Run with an interpreter that has NumPy:
/usr/bin/python3 src/runner/child/python/gen_numpy_names.py
"""
import os
import pkgutil
import sys

import numpy
import numpy.random

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import numpy2_differences as numpy2  # noqa: E402

NAMESPACES = {
    'numpy': numpy,
    'numpy.random': numpy.random,
    'numpy.ndarray': numpy.ndarray,
    'numpy.dtype': numpy.dtype,
}


def public(obj):
    return set(n for n in dir(obj) if not n.startswith('_'))


def submodules():
    names = set()
    for info in pkgutil.iter_modules(numpy.__path__):
        if not info.name.startswith('_') and info.name not in ('setup', 'conftest', 'tests'):
            names.add('numpy.' + info.name)
    for name in sorted(names):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, '__path__'):
            for info in pkgutil.iter_modules(module.__path__):
                if not info.name.startswith('_') and info.name not in ('setup', 'tests'):
                    names.add('%s.%s' % (name, info.name))
    names |= set(numpy2.ADDED_SUBMODULES)
    names -= set(n for n in names if any(n == r or n.startswith(r + '.') for r in numpy2.REMOVED_SUBMODULES))
    return sorted(names)


def main():
    names = {key: public(obj) for key, obj in NAMESPACES.items()}
    names['numpy'] = (names['numpy'] | set(numpy2.ADDED)) - set(numpy2.EXPIRED) - numpy2.REMOVED
    names['numpy.ndarray'] = (names['numpy.ndarray'] | set(numpy2.NDARRAY_ADDED)) - set(numpy2.NDARRAY_REMOVED)
    out = os.path.join(HERE, 'py', 'numpy', '_numpy_names.py')
    lines = [
        '"""Public names of NumPy %s moved to NumPy 2.x (numpy2_differences.py), written by' % numpy.__version__,
        'src/runner/child/python/gen_numpy_names.py (do not edit). A name listed here that Autograd Lab',
        "lacks raises NotImplementedError; one not listed is NumPy's AttributeError; EXPIRED names NumPy 2.0",
        'removed, with the replacement its error names."""',
        '',
        'NAMES = {',
    ]
    for key in NAMESPACES:
        lines.append('    %r: frozenset(%r.split()),' % (key, ' '.join(sorted(names[key]))))
    lines.append('}')
    lines.append('')
    lines.append('SUBMODULES = frozenset(%r.split())' % ' '.join(submodules()))
    lines.append('')
    lines.append('EXPIRED = {')
    for name in sorted(numpy2.EXPIRED):
        lines.append('    %r: %r,' % (name, numpy2.EXPIRED[name]))
    lines.append('}')
    lines.append('')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))
    print('wrote %s (%d bytes)' % (out, os.path.getsize(out)))


if __name__ == '__main__':
    main()
