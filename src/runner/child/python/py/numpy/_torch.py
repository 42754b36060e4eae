"""The glue between `numpy` and the `torch` package, in the functions the torch package calls:
`t.numpy()` and `torch.from_numpy(a)` share the engine tensor's memory (PyTorch's and NumPy's
dtypes map one to one), `torch.tensor(a)` copies, `torch.as_tensor(a)` shares when the dtype
allows. An ndarray holds an engine tensor, so sharing is one engine tensor under both."""
from . import _array as A, _dtype, _engine as E, _scalar
from ._array import ndarray

_FROM_TORCH = {'float32': _dtype.float32, 'float64': _dtype.float64, 'int64': _dtype.int64, 'int32': _dtype.int32,
               'bool': _dtype.bool_}
_TORCH_NAMES = {'float16', 'uint8', 'int8', 'int16', 'bfloat16', 'complex64', 'complex128'}


def is_array(x):
    return isinstance(x, ndarray)


def is_scalar(x):
    return isinstance(x, _scalar.generic)


def _dtype_of_tensor(js):
    name = str(js.dtype.name)
    dt = _FROM_TORCH.get(name)
    if dt is None:
        raise NotImplementedError('numpy arrays of torch.%s tensors are not supported by Autograd Lab yet' % name)
    return dt


def tensor_numpy(t, force=False):
    """`t.numpy()`: an array sharing t's memory; PyTorch's error for a tensor that requires grad."""
    if not force and t.requires_grad:
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
    js = E.call(t._t, 'detach')
    return A.wrap(js, _dtype_of_tensor(js))


def from_tensor(t, copy):
    """np.asarray(t) / np.array(t): the tensor's numpy(), copied for np.array."""
    a = tensor_numpy(t)
    return a.copy() if copy else a


def from_numpy(a):
    """`torch.from_numpy(a)`: a tensor sharing a's memory."""
    if not isinstance(a, ndarray):
        raise TypeError('expected np.ndarray (got %s)' % type(a).__name__)
    import torch
    return torch._w(E.call(a._t, 'detach'))


def engine_copy(a, dtype=None):
    """The engine tensor for `torch.tensor(a)`: a copy, in `dtype` (a torch.dtype) if given."""
    t = E.call(a._t, 'clone')
    if dtype is not None:
        t = E.call(t, 'to', dtype._t)
    return t


def engine_shared(a, dtype=None):
    """The engine tensor for `torch.as_tensor(a)`: a's own memory when no other dtype is asked for."""
    if dtype is None or str(dtype._t.name) == _torch_name(a._dtype):
        return E.call(a._t, 'detach')
    return E.call(a._t, 'to', dtype._t)


def _torch_name(dt):
    return 'bool' if dt is _dtype.bool_ else dt.name


def scalar_data(x):
    """A NumPy scalar as `torch.tensor` takes it: (Python value, torch dtype name)."""
    return x.item(), _torch_name(type(x)._np_dtype)


def torch_dtype_name(dtype):
    """The torch dtype name for a NumPy dtype (np.float32 → 'float32')."""
    return _torch_name(_dtype.resolve(dtype))
