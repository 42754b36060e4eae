"""Generates fixtures/ipython-cells.json: what IPython (8.x, plain text, no colours) shows for a
series of plain-Python cells run in one session — each cell's stdout, its Out[n] text/plain and
its error (ename, evalue, traceback). The kernel tests run the same cells and compare.

Run with a Python that has IPython (no torch needed): python3 test/notebooks/gen_ipython_cells.py
"""
import contextlib
import io
import json
import os
import re

import IPython
from IPython.core.interactiveshell import InteractiveShell

CELLS = [
    "x = 1\nx",
    "x + 1;",
    "_ + 10",
    "None",
    "print('a')\nprint('b')\n7",
    "list(range(30))",
    "{'a': 1, 'b': list(range(25))}",
    "(object(), 'a' * 70, {'k': [1, 2]})",
    "class Two:\n    def __repr__(self):\n        return 'first line\\nsecond line'\n(Two(), 1)",
    "[Two(), [Two(), 2]]",
    "{'k': Two()}",
    "{3, 1, 2}, frozenset({2}), set(), (), (1,)",
    "def f(a, b=2, *c, d, **e):\n    return a / 0\n",
    "y = 2\nz = 3\nf(1, d=1)\nw = 4\nq = 5\nr = 6",
    "1/0",
    "raise ValueError",
    "class Box:\n    def open(self, n):\n        return [][n]\nBox().open(3)",
    "import sys\nsys.exit(3)",
    "raise KeyboardInterrupt",
    "x",
]


def main():
    shell = InteractiveShell.instance()
    shell.InteractiveTB.set_colors('NoColor')
    errors = []
    shell._showtraceback = lambda etype, evalue, stb: errors.append(stb)
    results = []
    shell.displayhook.write_format_data = lambda data, md=None: results.append(data['text/plain'])
    shell.displayhook.write_output_prompt = lambda: None
    cells = []
    for code in CELLS:
        errors.clear()
        results.clear()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            shell.run_cell(code, store_history=True)
        text = out.getvalue()
        cell = {'code': code, 'stdout': text}
        if results:
            cell['result'] = re.sub(r'0x[0-9a-f]+', '0x…', results[0])
        if errors:
            cell['traceback'] = errors[0]
        cells.append(cell)
    fixture = {'generatedBy': 'IPython %s' % IPython.__version__, 'cells': cells}
    path = os.path.join(os.path.dirname(__file__), 'fixtures', 'ipython-cells.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(fixture, f, indent=1, ensure_ascii=False)
        f.write('\n')


if __name__ == '__main__':
    main()
