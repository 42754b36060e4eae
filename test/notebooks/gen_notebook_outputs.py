"""Generates fixtures/<notebook>.outputs.json: what Jupyter's IPython shows for each code cell of
an example notebook run with real PyTorch and matplotlib — each cell's stdout and its Out[n]
text/plain (memory addresses written 0x…). The CLI tests run the notebook through Autograd Lab
and compare.

Needs Debian's python3-torch/python3-matplotlib and IPython 8; IPython may come from another
Python's site-packages, appended after Debian's (so Debian's NumPy is the one imported):
  IPYTHON_SITE=<another Python's site-packages with IPython 8> \\
    /usr/bin/python3 test/notebooks/gen_notebook_outputs.py examples/notebooks/chapter6-nn-sequential.ipynb
"""
import contextlib
import io
import json
import os
import re
import sys
import tempfile

if os.environ.get('IPYTHON_SITE'):
    sys.path.append(os.environ['IPYTHON_SITE'])

import matplotlib  # noqa: E402

matplotlib.use('Agg')
import IPython  # noqa: E402
import torch  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402


def main(path):
    with open(path, encoding='utf-8') as f:
        nb = json.load(f)
    shell = InteractiveShell.instance()
    shell.InteractiveTB.set_colors('NoColor')
    errors = []
    shell._showtraceback = lambda etype, evalue, stb: errors.append(stb)
    results = []
    shell.displayhook.write_format_data = lambda data, md=None: results.append(data['text/plain'])
    shell.displayhook.write_output_prompt = lambda: None
    cells = []
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)  # the notebook's savefig() calls write here
        for cell in nb['cells']:
            if cell['cell_type'] != 'code':
                continue
            code = ''.join(cell['source'])
            code = '\n'.join('' if line.startswith('%matplotlib') else line for line in code.split('\n'))
            errors.clear()
            results.clear()
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                shell.run_cell(code, store_history=True)
            if errors:
                raise SystemExit('cell failed under PyTorch:\n%s\n%s' % (code, '\n'.join(errors[0])))
            entry = {'stdout': out.getvalue()}
            if results:
                entry['result'] = re.sub(r'0x[0-9a-f]+', '0x…', results[0])
            cells.append(entry)
        os.chdir(here)
    fixture = {'generatedBy': 'PyTorch %s, IPython %s, matplotlib %s' % (torch.__version__, IPython.__version__, matplotlib.__version__),
               'cells': cells}
    name = os.path.splitext(os.path.basename(path))[0]
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', name + '.outputs.json')
    with open(target, 'w', encoding='utf-8') as f:
        json.dump(fixture, f, indent=1, ensure_ascii=False)
        f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1])
