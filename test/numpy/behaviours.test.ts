// Autograd Lab's own behaviours of numpy, which no NumPy can tell: what it refuses (with a
// NotImplementedError naming the feature, never a wrong value), the torch glue sharing memory
// with tensors, matplotlib plotting arrays, warnings at the learner's line. behaviours.py runs
// every snippet in one Pyodide process, as a learner's script; the expectations are here.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runScript } from '../python/run-script.js';

interface Outcome {
  repr?: string;
  error?: [string, string];
  warnings: [string, string][];
}

const outcomes = new Map<string, Outcome>();

before(
  async () => {
    const stdout = await runScript(join(import.meta.dirname, 'behaviours.py'));
    for (const line of stdout.split('\n')) {
      if (line.startsWith('{')) {
        const r = JSON.parse(line) as Outcome & { name: string };
        outcomes.set(r.name, r);
      }
    }
  },
  { timeout: 300_000 },
);

function outcome(name: string): Outcome {
  const o = outcomes.get(name);
  assert.ok(o, `behaviours.py printed nothing for ${name}`);
  return o;
}

function gives(name: string, repr: string): void {
  const o = outcome(name);
  assert.equal(o.error, undefined, `${name} raised ${o.error?.join(': ')}`);
  assert.equal(o.repr, repr, name);
}

function raises(name: string, type: string, message: string): void {
  assert.deepEqual(outcome(name).error, [type, message], name);
}

const unsupported = (what: string) => `${what} is not supported by Autograd Lab yet`;

describe('numpy refuses what it does not support, naming it', () => {
  it('names NumPy’s submodules and functions it lacks, and hasattr() is False for them', () => {
    raises('fft', 'NotImplementedError', unsupported('numpy.fft'));
    gives('hasattr_fft', 'False');
    raises('import_linalg', 'NotImplementedError', unsupported('numpy.linalg'));
    raises('from_import_linalg', 'NotImplementedError', unsupported('numpy.linalg'));
    raises('cumsum', 'NotImplementedError', unsupported('numpy.cumsum'));
    raises('method_cumsum', 'NotImplementedError', unsupported('numpy.ndarray.cumsum'));
    raises('uint8', 'NotImplementedError', unsupported('numpy.uint8'));
    raises('get_state', 'NotImplementedError', unsupported('numpy.random.get_state'));
    raises('formatter', 'NotImplementedError', unsupported('numpy.set_printoptions(formatter=...)'));
  });

  it('refuses dtypes it has no arrays for: uint8, strings, objects, float16', () => {
    raises('uint8_dtype', 'NotImplementedError', 'numpy dtype uint8 is not supported by Autograd Lab yet (it has float32, float64, int32, int64 and bool)');
    raises('strings', 'NotImplementedError', unsupported("numpy arrays of strings (dtype '<U')"));
    raises('objects', 'NotImplementedError', unsupported('numpy arrays of Python objects (dtype=object)'));
    assert.match(outcome('bool_sqrt').error?.[1] ?? '', /^numpy dtype float16 \(numpy\.sqrt of a boolean array computes in float16\) is not supported/);
  });

  it('refuses integers beyond 2**53 rather than showing a rounded value', () => {
    const message = 'integers beyond 2**53 = 9007199254740992 in numpy arrays are not supported by Autograd Lab yet (its integer arrays hold doubles)';
    raises('beyond_2_53', 'NotImplementedError', message);
    raises('beyond_2_53_result', 'NotImplementedError', message);
  });

  it('refuses negative slice steps (a view NumPy makes and the engine cannot) rather than copying', () => {
    raises('negative_step', 'NotImplementedError', unsupported('negative slice steps (a[::-1]) in numpy arrays'));
  });

  it('names the PCG64 Generator it lacks and the legacy one it has', () => {
    assert.match(outcome('default_rng').error?.[1] ?? '', /^numpy\.random\.default_rng \(the PCG64 Generator\) is not supported by Autograd Lab yet; np\.random\.seed with/);
  });

  it('makes int32 arrays only when the engine has int32 tensors, and says so otherwise', () => {
    const o = outcome('int32_arrays');
    if (o.error) raises('int32_arrays', 'NotImplementedError', 'numpy int32 arrays are not supported by Autograd Lab yet (its engine has no int32 tensors in this version)');
    else gives('int32_arrays', 'array([0, 0], dtype=int32)');
  });

  it('fills np.empty and np.ndarray(shape) with zeros (NumPy leaves the memory uninitialized)', () => {
    gives('empty_is_zeros', 'array([[0., 0.],\n       [0., 0.]])');
    gives('ndarray_constructor', 'array([0., 0.])');
  });
});

describe('numpy handles floating-point errors as np.seterr and np.errstate say', () => {
  it('raises FloatingPointError under seterr(divide="raise")', () => {
    raises('seterr_raise', 'FloatingPointError', 'divide by zero encountered in divide');
  });
  it('stays silent inside errstate(divide="ignore") and warns again after it', () => {
    assert.deepEqual(outcome('errstate_ignore').warnings, []);
    assert.deepEqual(outcome('errstate_restores').warnings, [['RuntimeWarning', 'divide by zero encountered in divide']]);
  });
  it('points its RuntimeWarnings at the learner’s line, not at numpy’s code', () => {
    gives('warning_location', "('<case>', 4)");
  });
});

describe('the torch glue shares memory as PyTorch and NumPy do', () => {
  it('t.numpy() shares memory with the tensor, both ways, and keeps its dtype', () => {
    gives('numpy_shares', "([11.0, 3.0, 4.0], [11.0, 3.0, 4.0], 'float32')");
    gives('numpy_dtypes', "['float32', 'int64', 'bool', 'float64']");
  });
  it('t.numpy() refuses a tensor that requires grad with PyTorch’s message; detach() or force=True allow it', () => {
    raises('numpy_requires_grad', 'RuntimeError', "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
    gives('numpy_detach', 'array([1., 1.], dtype=float32)');
    gives('numpy_force', 'array([1., 1.], dtype=float32)');
  });
  it('torch.from_numpy(a) shares memory with the array and keeps its dtype; it takes only arrays', () => {
    gives('from_numpy_shares', "([0.0, 7.0, 9.0, 3.0], [0.0, 7.0, 9.0, 3.0], 'torch.float64')");
    gives('from_numpy_dtypes', "['torch.float64', 'torch.float32', 'torch.int64', 'torch.bool']");
    raises('from_numpy_refuses_lists', 'TypeError', 'expected np.ndarray (got list)');
  });
  it('torch.tensor(a) copies; torch.as_tensor(a) shares unless another dtype is asked for', () => {
    gives('tensor_copies', "([0.0, 1.0, 2.0], [5.0, 1.0, 2.0], 'torch.float64')");
    gives('tensor_copy_dtype', "'torch.float32'");
    gives('as_tensor_shares', '[5.0, 1.0, 2.0]');
    gives('as_tensor_other_dtype_copies', "([0.0, 1.0, 2.0], 'torch.float32')");
  });
  it('np.asarray(t) shares, np.array(t) copies, and both refuse a tensor that requires grad', () => {
    gives('asarray_tensor_shares', '[3.0, 0.0]');
    gives('array_tensor_copies', '[0.0, 0.0]');
    raises('array_requires_grad', 'RuntimeError', "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
    gives('exp_of_tensor', 'array([1., 1.], dtype=float32)');
  });
  it('gives torch.tensor a NumPy scalar’s value and dtype', () => {
    gives('scalar_data', "[(1.5, 'float64'), (2.0, 'float32'), (3, 'int64'), (True, 'bool')]");
  });
});

describe('matplotlib plots numpy arrays', () => {
  it('plt.plot takes arrays, and arrays from tensors', () => {
    gives('plot_arrays', '(1, [0.0, 0.25, 0.5, 0.75, 1.0], [0.0, 0.0625, 0.25, 0.5625, 1.0])');
    gives('plot_from_tensor_numpy', '[3, 4]');
  });
});
