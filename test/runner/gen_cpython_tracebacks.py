"""Writes test/fixtures/cpython-tracebacks.json: how CPython itself ends two tracebacks that the
Python runner (src/runner/child/python/py/_autograd_lab_runner.py) must end the same way.

Each case is a script (stored verbatim under "source") run by this interpreter as
`python3 <file>`; "frameLines" counts the `  File ...` lines CPython printed, "repeatLine" is its
`[Previous line repeated N more times]` line (or null), "lastLine" the exception's line.

    /usr/bin/python3 test/runner/gen_cpython_tracebacks.py
"""

import json
import os
import subprocess
import sys
import tempfile

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'cpython-tracebacks.json')

CASES = {
    # Endless recursion: CPython prints a frame three times, then how often it repeated.
    'recursion': 'def f(n):\n    return f(n + 1)\n\n\nf(0)\n',
    # An exception whose __str__ raises: CPython shows the type and that str() failed.
    'str_fails': "class TrainingError(Exception):\n    def __str__(self):\n        raise ValueError('no text')\n\n\nraise TrainingError('x')\n",
}


def run(source):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, 'script.py')
        with open(path, 'w') as f:
            f.write(source)
        done = subprocess.run([sys.executable, path], capture_output=True, text=True)
    lines = done.stderr.rstrip('\n').split('\n')
    repeats = [line for line in lines if line.strip().startswith('[Previous line repeated')]
    return {
        'source': source,
        'frameLines': sum(1 for line in lines if line.startswith('  File ')),
        'repeatLine': repeats[0] if repeats else None,
        'lastLine': lines[-1],
    }


fixture = {
    'generatedBy': 'test/runner/gen_cpython_tracebacks.py',
    'python': sys.version.split()[0],
    'cases': {name: run(source) for name, source in CASES.items()},
}
with open(OUT, 'w') as f:
    json.dump(fixture, f, indent=2)
    f.write('\n')
