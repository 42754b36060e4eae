"""Autograd Lab's own behaviours of `numpy` (no NumPy can say what they should be): what it
refuses and how, the torch glue's memory sharing, matplotlib's use of arrays, where warnings
point. Run as a learner's script by behaviours.test.ts, which holds the expectations; prints
one JSON line per snippet, with driver.py's description of its last expression."""
import json

import numpy as np

from driver import run_case

SNIPPETS = {
    # ---- what is not supported says so
    'fft': 'np.fft',
    'hasattr_fft': 'hasattr(np, "fft")',
    'import_linalg': 'import numpy.linalg',
    'from_import_linalg': 'from numpy.linalg import norm',
    'cumsum': 'np.cumsum',
    'method_cumsum': 'np.arange(3).cumsum()',
    'uint8': 'np.uint8',
    'uint8_dtype': 'np.array([1], dtype="uint8")',
    'strings': 'np.array(["a", "b"])',
    'objects': 'np.array([None])',
    'default_rng': 'np.random.default_rng(0)',
    'get_state': 'np.random.get_state()',
    'negative_step': 'np.arange(5)[::-1]',
    'beyond_2_53': 'np.array([2 ** 60])',
    'beyond_2_53_result': 'np.array([2 ** 40]) * 2 ** 20',
    'formatter': 'np.set_printoptions(formatter={"float": str})',
    'bool_sqrt': 'np.sqrt(np.array([True]))',
    'int32_arrays': 'np.zeros(2, dtype=np.int32)',
    'empty_is_zeros': 'np.empty((2, 2))',
    'ndarray_constructor': 'np.ndarray((2,))',
    # ---- errstate
    'seterr_raise': 'np.seterr(divide="raise"); np.array([1.0]) / 0',
    'errstate_ignore': 'with np.errstate(divide="ignore"): r = np.array([1.0]) / 0\nr',
    'errstate_restores': 'with np.errstate(all="ignore"): pass\nnp.array([1.0]) / 0',
    # ---- where warnings point: the learner's line, not numpy's
    'warning_location': ('import warnings\n'
                         'with warnings.catch_warnings(record=True) as w:\n'
                         '    warnings.simplefilter("always")\n'
                         '    np.array([1.0]) / 0\n'
                         '(w[0].filename, w[0].lineno)'),
    # ---- the torch glue: numpy() and from_numpy share memory
    'numpy_shares': ('import torch\nfrom numpy import _torch as glue\n'
                     't = torch.tensor([1.0, 2.0, 3.0])\na = glue.tensor_numpy(t)\na[0] = 10\nt.add_(1)\n'
                     '(a.tolist(), t.tolist(), a.dtype.name)'),
    'numpy_dtypes': ('import torch\nfrom numpy import _torch as glue\n'
                     '[glue.tensor_numpy(torch.tensor(v)).dtype.name for v in ([1.5], [1, 2], [True])] + '
                     '[glue.tensor_numpy(torch.tensor([1.5], dtype=torch.float64)).dtype.name]'),
    'numpy_requires_grad': ('import torch\nfrom numpy import _torch as glue\n'
                            'glue.tensor_numpy(torch.ones(2, requires_grad=True))'),
    'numpy_detach': ('import torch\nfrom numpy import _torch as glue\n'
                     'glue.tensor_numpy(torch.ones(2, requires_grad=True).detach())'),
    'numpy_force': ('import torch\nfrom numpy import _torch as glue\n'
                    'glue.tensor_numpy(torch.ones(2, requires_grad=True), force=True)'),
    'from_numpy_shares': ('import torch\nfrom numpy import _torch as glue\n'
                          'a = np.arange(4.0)\nt = glue.from_numpy(a)\nt[1] = 7\na[2] = 9\n'
                          '(a.tolist(), t.tolist(), str(t.dtype))'),
    'from_numpy_dtypes': ('from numpy import _torch as glue\n'
                          '[str(glue.from_numpy(a).dtype) for a in (np.ones(1), np.ones(1, dtype=np.float32), '
                          'np.arange(2), np.array([True]))]'),
    'from_numpy_refuses_lists': 'from numpy import _torch as glue\nglue.from_numpy([1.0, 2.0])',
    'tensor_copies': ('import torch\nfrom numpy import _torch as glue\n'
                      'a = np.arange(3.0)\nt = torch._w(glue.engine_copy(a))\nt[0] = 5\n(a.tolist(), t.tolist(), str(t.dtype))'),
    'tensor_copy_dtype': ('import torch\nfrom numpy import _torch as glue\n'
                          'str(torch._w(glue.engine_copy(np.arange(3.0), torch.float32)).dtype)'),
    'as_tensor_shares': ('import torch\nfrom numpy import _torch as glue\n'
                         'a = np.arange(3.0)\nt = torch._w(glue.engine_shared(a))\nt[0] = 5\na.tolist()'),
    'as_tensor_other_dtype_copies': ('import torch\nfrom numpy import _torch as glue\n'
                                     'a = np.arange(3.0)\nt = torch._w(glue.engine_shared(a, torch.float32))\nt[0] = 5\n'
                                     '(a.tolist(), str(t.dtype))'),
    'asarray_tensor_shares': ('import torch\nt = torch.zeros(2)\na = np.asarray(t)\na[0] = 3\nt.tolist()'),
    'array_tensor_copies': ('import torch\nt = torch.zeros(2)\na = np.array(t)\na[0] = 3\nt.tolist()'),
    'array_requires_grad': 'import torch\nnp.array(torch.ones(2, requires_grad=True))',
    'exp_of_tensor': 'import torch\nnp.exp(torch.zeros(2))',
    'scalar_data': ('from numpy import _torch as glue\n'
                    '[glue.scalar_data(x) for x in (np.float64(1.5), np.float32(2), np.int64(3), np.True_)]'),
    # ---- matplotlib takes arrays
    'plot_arrays': ('import matplotlib.pyplot as plt\n'
                    'x = np.linspace(0, 1, 5)\nlines = plt.plot(x, x ** 2, "o")\n'
                    '(len(lines), list(lines[0].get_xdata()), list(lines[0].get_ydata()))'),
    'plot_from_tensor_numpy': ('import torch\nimport matplotlib.pyplot as plt\nfrom numpy import _torch as glue\n'
                               't = torch.tensor([1.0, 2.0])\nlines = plt.plot(glue.tensor_numpy(t), np.array([3, 4]))\n'
                               'list(lines[0].get_ydata())'),
}


def main():
    for name, code in SNIPPETS.items():
        rec, _ = run_case(code, np)
        rec['name'] = name
        print(json.dumps(rec))


if __name__ == '__main__':
    main()
