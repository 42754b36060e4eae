"""Where Autograd Lab's `numpy` follows current NumPy 2.x (2.4) instead of the oracle that makes
its fixtures, Debian's python3-numpy 1.24. Read by gen_numpy_names.py (the names) and by
test/numpy/gen_fixtures.py (the behaviour: it rewrites what 1.24 printed for the cases listed
here). Every entry says why. `gen_fixtures.py --check-numpy2 PYTHON` runs the cases under a
NumPy 2 interpreter and reports any case where this list and NumPy 2 disagree."""

# Names NumPy 2.x exports from its main namespace that 1.24 lacks (numpy/__init__.py, 2.x).
ADDED = {
    'bool': 'NumPy 2.0 made np.bool the boolean scalar type again (an alias of np.bool_).',
    'concat': 'Array API name for concatenate (2.0).',
    'pow': 'Array API name for power (2.0).',
    'acos': 'Array API names for the inverse trigonometric functions (2.0).',
    'acosh': 'Array API name (2.0).', 'asin': 'Array API name (2.0).', 'asinh': 'Array API name (2.0).',
    'atan': 'Array API name (2.0).', 'atan2': 'Array API name (2.0).', 'atanh': 'Array API name (2.0).',
    'astype': 'Array API function np.astype (2.1).',
    'bitwise_count': 'New ufunc (2.0).', 'bitwise_invert': 'Array API name (2.0).',
    'bitwise_left_shift': 'Array API name (2.0).', 'bitwise_right_shift': 'Array API name (2.0).',
    'cumulative_prod': 'Array API function (2.1).', 'cumulative_sum': 'Array API function (2.1).',
    'isdtype': 'Array API function (2.0).', 'long': 'C long scalar type, restored in 2.0.',
    'ulong': 'C unsigned long scalar type (2.0).', 'matrix_transpose': 'Array API function (2.0).',
    'matvec': 'New ufunc (2.2).', 'vecmat': 'New ufunc (2.2).', 'vecdot': 'New ufunc (2.0).',
    'permute_dims': 'Array API name for transpose (2.0).', 'trapezoid': 'Replaces trapz (2.0).',
    'unique_all': 'Array API function (2.0).', 'unique_counts': 'Array API function (2.0).',
    'unique_inverse': 'Array API function (2.0).', 'unique_values': 'Array API function (2.0).',
    'unstack': 'Array API function (2.1).', 'exceptions': 'The numpy.exceptions submodule (1.25).',
    'dtypes': 'The numpy.dtypes submodule (1.25).', 'strings': 'The numpy.strings submodule (2.0).',
    'f2py': 'Exported from the main namespace in 2.0.', 'typing': 'Exported from the main namespace in 2.0.',
    'core': 'numpy.core, kept as a deprecated alias of numpy._core in 2.0.',
}

# Names NumPy 2.0 removed from the main namespace, with the note its AttributeError gives
# ("`np.NaN` was removed in the NumPy 2.0 release. Use `np.nan` instead."), as of NumPy 2.4.
EXPIRED = {
    'DataSource': "It's still available as `np.lib.npyio.DataSource`.",
    'Inf': 'Use `np.inf` instead.',
    'Infinity': 'Use `np.inf` instead.',
    'NINF': 'Use `-np.inf` instead.',
    'NZERO': 'Use `-0.0` instead.',
    'NaN': 'Use `np.nan` instead.',
    'PINF': 'Use `np.inf` instead.',
    'PZERO': 'Use `0.0` instead.',
    'add_docstring': "It's still available as `np.lib.add_docstring`.",
    'add_newdoc': "It's still available as `np.lib.add_newdoc`.",
    'add_newdoc_ufunc': "It's an internal function and doesn't have a replacement.",
    'alltrue': 'Use `np.all` instead.',
    'asfarray': 'Use `np.asarray` with a proper dtype instead.',
    'byte_bounds': "Now it's available under `np.lib.array_utils.byte_bounds`",
    'cast': 'Use `np.asarray(arr, dtype=dtype)` instead.',
    'cfloat': 'Use `np.complex128` instead.',
    'clongfloat': 'Use `np.clongdouble` instead.',
    'compare_chararrays': "It's still available as `np.char.compare_chararrays`.",
    'complex_': 'Use `np.complex128` instead.',
    'deprecate': 'Emit `DeprecationWarning` with `warnings.warn` directly, or use `typing.deprecated`.',
    'deprecate_with_doc': 'Emit `DeprecationWarning` with `warnings.warn` directly, or use `typing.deprecated`.',
    'fastCopyAndTranspose': 'Use `arr.T.copy()` instead.',
    'find_common_type': 'Use `numpy.promote_types` or `numpy.result_type` instead. To achieve semantics for the `scalar_types` argument, use `numpy.result_type` and pass the Python values `0`, `0.0`, or `0j`.',
    'float_': 'Use `np.float64` instead.',
    'format_parser': "It's still available as `np.rec.format_parser`.",
    'get_array_wrap': '',
    'geterrobj': 'Use the np.errstate context manager instead.',
    'infty': 'Use `np.inf` instead.',
    'issctype': 'Use `issubclass(rep, np.generic)` instead.',
    'issubclass_': 'Use `issubclass` builtin instead.',
    'issubsctype': 'Use `np.issubdtype` instead.',
    'longcomplex': 'Use `np.clongdouble` instead.',
    'longfloat': 'Use `np.longdouble` instead.',
    'lookfor': "Search NumPy's documentation directly.",
    'mat': 'Use `np.asmatrix` instead.',
    'maximum_sctype': 'Use a specific dtype instead. You should avoid relying on any implicit mechanism and select the largest dtype of a kind explicitly in the code.',
    'nbytes': 'Use `np.dtype(<dtype>).itemsize` instead.',
    'obj2sctype': 'Use `np.dtype(obj).type` instead.',
    'recfromcsv': 'Use `np.genfromtxt` with comma delimiter instead.',
    'recfromtxt': 'Use `np.genfromtxt` instead.',
    'round_': 'Use `np.round` instead.',
    'safe_eval': 'Use `ast.literal_eval` instead.',
    'sctype2char': 'Use `np.dtype(obj).char` instead.',
    'sctypes': 'Access dtypes explicitly instead.',
    'set_numeric_ops': 'For the general case, use `PyUFunc_ReplaceLoopBySignature`. For ndarray subclasses, define the ``__array_ufunc__`` method and override the relevant ufunc.',
    'set_string_function': 'Use `np.set_printoptions` instead with a formatter for custom printing of NumPy objects.',
    'seterrobj': 'Use the np.errstate context manager instead.',
    'singlecomplex': 'Use `np.complex64` instead.',
    'sometrue': 'Use `np.any` instead.',
    'source': 'Use `inspect.getsource` instead.',
    'string_': 'Use `np.bytes_` instead.',
    'tracemalloc_domain': "It's now available from `np.lib`.",
    'unicode_': 'Use `np.str_` instead.',
    'who': 'Use an IDE variable explorer or `locals()` instead.',
}

# Names of 1.24's main namespace that NumPy 2.x no longer has (a plain AttributeError there).
REMOVED = frozenset('''ALLOW_THREADS AxisError BUFSIZE CLIP ComplexWarning ERR_CALL ERR_DEFAULT ERR_IGNORE ERR_LOG ERR_PRINT ERR_RAISE ERR_WARN FLOATING_POINT_SUPPORT FPE_DIVIDEBYZERO FPE_INVALID FPE_OVERFLOW FPE_UNDERFLOW MAXDIMS MAY_SHARE_BOUNDS MAY_SHARE_EXACT ModuleDeprecationWarning NAN RAISE RankWarning SHIFT_DIVIDEBYZERO SHIFT_INVALID SHIFT_OVERFLOW SHIFT_UNDERFLOW Tester TooHardError UFUNC_BUFSIZE_DEFAULT UFUNC_PYVALS_NAME VisibleDeprecationWarning WRAP cumproduct kernel_version math msort numarray oldnumeric product use_hugepage'''.split())

# ndarray attributes NumPy 2.0 removed (a plain AttributeError there) and added.
NDARRAY_REMOVED = ['itemset', 'newbyteorder', 'ptp', 'tostring']
NDARRAY_ADDED = ['device', 'mT', 'to_device']

# Submodules NumPy 2.x has that 1.24 lacks, and those 2.x removed.
ADDED_SUBMODULES = ['numpy.exceptions', 'numpy.dtypes', 'numpy.strings', 'numpy.rec', 'numpy.char']
REMOVED_SUBMODULES = ['numpy.compat', 'numpy.dual', 'numpy.array_api', 'numpy.distutils', 'numpy.numarray',
                      'numpy.oldnumeric']

# What NumPy 2.x does differently from 1.24, for the README and the fixtures. `rewrite` names the
# rule test/numpy/gen_fixtures.py applies to 1.24's output (or the cases it replaces).
BEHAVIOUR = [
    {
        'what': 'repr of NumPy scalars',
        'numpy1': '3.0, 2, True', 'numpy2': 'np.float64(3.0), np.int64(2), np.True_',
        'why': 'NumPy 2.0 (NEP 51) shows the scalar type in repr; str() is unchanged.',
        'rewrite': 'scalar_repr',
    },
    {
        'what': 'the boolean scalar type and the dtype classes',
        'numpy1': "numpy.bool_; type(np.dtype('float32')) is numpy.dtype[float32]",
        'numpy2': "numpy.bool; type(np.dtype('float32')) is numpy.dtypes.Float32DType",
        'why': 'NumPy 2.0 renamed bool_ to bool (bool_ stays an alias); 1.25 added the numpy.dtypes classes.',
        'rewrite': 'type_names',
    },
    {
        'what': 'type promotion with Python numbers and NumPy scalars',
        'numpy1': 'value-based: float32 array + np.float64(1) is float32; int32 array + 2**40 is int64',
        'numpy2': 'NEP 50: NumPy scalars and 0-d arrays keep their dtype (float64 wins); Python numbers are weak '
                  '(int32 array + 2**40 raises OverflowError)',
        'why': 'NumPy 2.0 adopted NEP 50.',
        'rewrite': 'cases',
    },
    {
        'what': 'repr of summarized arrays (more than 1000 elements)',
        'numpy1': 'array([0, 1, 2, ..., 997, 998, 999])', 'numpy2': 'array([0, 1, 2, ..., 997, 998, 999], shape=(1000,))',
        'why': 'NumPy 2.2 adds the shape when values are left out.',
        'rewrite': 'summary_shape',
    },
    {
        'what': 'scientific notation for float32',
        'numpy1': 'arrays switch at 1e8, scalars at 1e16', 'numpy2': 'both switch at 1e6 (float32 has 6 exact digits)',
        'why': 'NumPy 2.3 chooses the cutoff from the dtype\'s precision.',
        'rewrite': 'cases',
    },
    {
        'what': 'scientific notation for a float32 array holding 1e-4',
        'numpy1': 'array([1.e-04], dtype=float32)', 'numpy2': 'array([0.0001], dtype=float32)',
        'why': 'Under NEP 50 the printer compares float32 values with 1e-4 as a float32.',
        'rewrite': 'cases',
    },
    {
        'what': 'sum of more than 8192 values (no conversion)',
        'numpy1': 'pairwise sums of blocks of 8192, added one after another',
        'numpy2': 'one pairwise sum over the whole run',
        'why': 'NumPy 2 no longer splits a reduction into buffers when no conversion is needed.',
        'rewrite': 'cases',
    },
    {
        'what': 'truth value of an empty array', 'numpy1': 'False with a DeprecationWarning', 'numpy2': 'ValueError',
        'why': 'The deprecation (1.14) expired in NumPy 2.2.',
        'rewrite': 'cases',
    },
    {
        'what': 'float() or int() of an array with dimensions', 'numpy1': 'allowed for one element',
        'numpy2': 'TypeError: only 0-dimensional arrays can be converted to Python scalars',
        'why': 'The deprecation (1.25) expired in NumPy 2.x.',
        'rewrite': 'cases',
    },
    {
        'what': "np.loadtxt(dtype=int) of '1.5'", 'numpy1': '1 with a DeprecationWarning',
        'numpy2': "ValueError: could not convert string '1.5' to int64 ...",
        'why': 'The deprecation (1.23) expired in NumPy 2.x.',
        'rewrite': 'cases',
    },
    {
        'what': 'the boolean index mismatch error',
        'numpy1': 'boolean index did not match indexed array along dimension 0; dimension is 3 but corresponding boolean '
                  'dimension is 2',
        'numpy2': 'boolean index did not match indexed array along axis 0; size of axis is 3 but size of corresponding '
                  'boolean axis is 2',
        'why': 'NumPy 2 rewords the message.',
        'rewrite': 'cases',
    },
    {
        'what': 'the warning for the mean of an empty array', 'numpy1': 'Mean of empty slice.', 'numpy2': 'Mean of empty slice',
        'why': 'NumPy 2 dropped the period.',
        'rewrite': 'cases',
    },
    {
        'what': 'removed names (np.float_, np.NaN, np.Inf, ...)', 'numpy1': 'aliases',
        'numpy2': 'AttributeError naming the replacement', 'why': 'NumPy 2.0 cleaned up its main namespace.',
        'rewrite': 'cases',
    },
]
