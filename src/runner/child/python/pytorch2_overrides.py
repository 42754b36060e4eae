"""Where the signature table follows current PyTorch 2.x instead of the oracle (Debian's
python3-torch 1.13), and the few signatures the oracle cannot describe by itself. Read by
gen_signatures.py; every entry says why. Keys are the table's keys (see gen_signatures.py)."""

# Python-defined callables: the parameter list as PyTorch 2.x declares it. `pass_defaults`: the
# defaults the engine (which follows 1.13) doesn't have, given to it explicitly.
PYTHON = {
    'torch.optim.SGD': {
        'params': 'self, params, lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, foreach=None, differentiable=False, fused=None',
        'why': 'PyTorch 2.x gives SGD a default lr of 1e-3 (1.13 required it) and adds the fused flag.',
        # The engine follows 1.13 (lr required): the Python layer passes 2.x's default itself.
        'pass_defaults': ['lr'],
    },
    'torch.optim.Optimizer.zero_grad': {
        'params': 'self, set_to_none=True',
        'why': 'PyTorch 2.0 made set_to_none=True the default (1.13: False): grads become None, not zeros.',
    },
    'torch.nn.Module.zero_grad': {
        'params': 'self, set_to_none=True',
        'why': 'PyTorch 2.0 made set_to_none=True the default (1.13: False).',
    },
    'torch.nn.Module.load_state_dict': {
        'params': 'self, state_dict, strict=True, assign=False',
        'why': 'PyTorch 2.1 added assign= (load by assigning the given tensors instead of copying).',
    },
}

PYTHON['torch.save'] = {
    'params': 'obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True',
    'why': 'PyTorch declares pickle_module=pickle (a module, not a literal); None stands for it here.',
}

# Parser-bound (C++) callables whose signature strings neither the oracle's error messages nor
# torchgen's native_functions.yaml give: the hand-written bindings of python_torch_functions_manual.cpp
# and python_variable_methods.cpp. Each list is the parser's own signature strings, verified
# against the oracle's messages by gen_signatures.py (names, types, keyword-only markers).
NATIVE = {
    'torch.tensor': {
        'signatures': ['tensor(PyObject* data, *, ScalarType dtype=None, Device? device=None, bool pin_memory=False, bool requires_grad=False, DimnameList? names=None)'],
        'why': 'Bound by hand in python_torch_functions_manual.cpp; not in native_functions.yaml.',
    },
    'torch.as_tensor': {
        'signatures': ['as_tensor(PyObject* data, *, ScalarType dtype=None, Device? device=None)'],
        'why': 'Bound by hand in python_torch_functions_manual.cpp; not in native_functions.yaml.',
    },
    'torch.nonzero': {
        'signatures': ['nonzero(Tensor input, *, bool as_tuple=False, Tensor out=None)'],
        'why': 'Bound by hand (as_tuple picks the return kind: a tuple of index tensors when True), as one signature.',
    },
    'Tensor.to': {
        'signatures': [
            'to(Device device=None, ScalarType dtype=None, bool non_blocking=False, bool copy=False, *, MemoryFormat? memory_format=None)',
            'to(ScalarType dtype, bool non_blocking=False, bool copy=False, *, MemoryFormat? memory_format=None)',
            'to(Tensor tensor, bool non_blocking=False, bool copy=False, *, MemoryFormat? memory_format=None)',
        ],
        'why': 'Bound by hand in python_variable_methods.cpp; not in native_functions.yaml.',
    },
    'Tensor.size': {
        'signatures': ['size(int64_t dim)', 'size()', 'size(Dimname dim)'],
        'why': 'Bound by hand in python_variable_methods.cpp (returns a torch.Size or an int).',
    },
    'Tensor.stride': {
        'signatures': ['stride(int64_t dim)', 'stride()', 'stride(Dimname dim)'],
        'why': 'Bound by hand in python_variable_methods.cpp.',
    },
    'Tensor.type': {
        'signatures': ['type(PyObject* dtype=None, bool non_blocking=False, *, MemoryFormat? memory_format=None)'],
        'why': 'Bound by hand in python_variable_methods.cpp (a dtype, a type string or a tensor type).',
    },
    'Tensor.copy_': {
        'signatures': ['copy_(Tensor other, bool non_blocking=False)'],
        'why': 'Bound by hand in python_variable_methods.cpp.',
    },
    'Tensor.requires_grad_': {
        'signatures': ['requires_grad_(bool requires_grad=True)'],
        'why': 'Bound by hand in python_variable_methods.cpp.',
    },
    'Tensor.new_tensor': {
        'signatures': ['new_tensor(PyObject* data, *, ScalarType dtype=None, Device? device=None, bool requires_grad=False)'],
        'why': 'Bound by hand in python_variable_methods.cpp.',
    },
    'torch.mul': {
        'signatures': ['mul(Tensor input, Tensor other, *, Tensor out=None)'],
        'why': 'Its Scalar overload has no Python binding (mul lets numbers bind to Tensor), so the messages alone cannot tell the two yaml overloads apart.',
    },
    'torch.numel': {
        'signatures': ['numel(Tensor input)'],
        'why': 'Bound by hand in python_torch_functions_manual.cpp.',
    },
    'Tensor.is_contiguous': {
        'signatures': ['is_contiguous(*, MemoryFormat memory_format=contiguous_format)'],
        'why': 'Bound by hand in python_variable_methods.cpp.',
    },
    'Tensor.nonzero': {
        'signatures': ['nonzero()', 'nonzero(*, bool as_tuple)'],
        'why': 'Bound by hand (as_tuple picks the return kind: a tuple of index tensors when True).',
    },
}

for _name in ('bool', 'float', 'double', 'long', 'int', 'half', 'byte', 'char', 'short', 'bfloat16', 'cfloat', 'cdouble', 'cpu'):
    NATIVE['Tensor.' + _name] = {
        'signatures': ['%s(*, MemoryFormat? memory_format=None)' % _name],
        'why': 'A dtype conversion bound by hand in python_variable_methods.cpp.',
    }

# Tensor operator methods that PyTorch binds to another method's parser (python_variable_methods.cpp
# and torch/_tensor.py); their argument errors become NotImplemented, so Python raises its own
# "unsupported operand type(s)" TypeError or tries the other operand's reflected method.
DUNDERS = {
    '__add__': 'add', '__radd__': 'add', '__iadd__': 'add_',
    '__sub__': 'sub', '__isub__': 'sub_',
    '__mul__': 'mul', '__rmul__': 'mul', '__imul__': 'mul_',
    '__truediv__': 'div', '__itruediv__': 'div_', '__div__': 'div', '__idiv__': 'div_',
    '__matmul__': 'matmul',
    '__pow__': 'pow', '__ipow__': 'pow_',
    '__eq__': 'eq', '__ne__': 'ne', '__lt__': 'lt', '__le__': 'le', '__gt__': 'gt', '__ge__': 'ge',
    '__and__': 'bitwise_and', '__or__': 'bitwise_or', '__xor__': 'bitwise_xor',
    '__iand__': 'bitwise_and_', '__ior__': 'bitwise_or_', '__ixor__': 'bitwise_xor_',
    '__mod__': 'remainder', '__imod__': 'remainder_',
    '__floordiv__': 'floor_divide', '__ifloordiv__': 'floor_divide_',
    '__lshift__': 'bitwise_left_shift', '__rshift__': 'bitwise_right_shift',
}

# Type names the parser prints in its messages, where 2.x words them differently from 1.13.
TYPE_NAMES_2X = {
    'SymIntArrayRef': ('tuple of SymInts', 'tuple of ints',
                       'PyTorch 2.x prints symbolic-int lists as plain "tuple of ints".'),
    'SymInt': ('SymInt', 'int', 'PyTorch 2.x prints a symbolic int as plain "int".'),
}
