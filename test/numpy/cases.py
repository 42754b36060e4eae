"""The behaviours of Autograd Lab's `numpy` checked against real NumPy: each group is one
behaviour (its name is the test's), each case a snippet whose last expression is recorded.
`compare`: 'exact' (repr, str, dtype, values and errors identical) or 'close' (dtype, shape and
values within a few units in the last place: NumPy's exp/log/tanh and BLAS products differ
between CPUs by that much). `needs`: an engine feature the cases depend on."""

GROUPS = [
    # ------------------------------------------------------------------ creation
    {'name': 'np.array infers int64, float64 or bool from Python data and keeps nesting as shape', 'cases': [
        'np.array([1, 2, 3])', 'np.array([1.0, 2, 3])', 'np.array([True, False])', 'np.array([[1, 2], [3, 4]])',
        'np.array([True, 2])', 'np.array([1, 2.5, True])', 'np.array(3)', 'np.array(2.5)', 'np.array(True)',
        'np.array([])', 'np.array([[]])', 'np.array((1, 2))', 'np.array([[1.5], [2.5]])', 'np.array(range(4))',
        'np.array([np.float32(1), np.float32(2)])', 'np.array([np.float32(1), 2.0])', 'np.array([np.int64(1), 2])',
        'np.array([[1, 2], [3, 4]], dtype=np.float32)', 'np.array([1.7, -1.7], dtype=np.int64)',
        'np.array([0, 2, -1], dtype=bool)', 'np.array([1, 2], ndmin=3)', 'np.array([0.1, 0.2], dtype="float32")',
        'np.array(np.float64(2.5))', 'np.array([np.array([1, 2]), np.array([3, 4])])',
    ]},
    {'name': 'np.array refuses ragged data and values that do not fit, with NumPy\'s errors', 'cases': [
        'np.array([[1, 2], [3]])', 'np.array([[1, 2], 3])', 'np.array([1, [2, 3]])', 'np.array([1.5, np.nan], dtype=int)',
        'np.array([np.inf], dtype=np.int64)', 'np.array([1, 2], dtype="foo")',
    ]},
    {'name': 'asarray returns the array itself when no copy or cast is needed', 'cases': [
        'a = np.array([1, 2]); np.asarray(a) is a', 'a = np.array([1, 2]); np.asarray(a, dtype=np.float64) is a',
        'a = np.array([1, 2]); b = np.array(a); b[0] = 9; a', 'a = np.array([1.0, 2.0]); b = np.asarray(a); b[0] = 9; a',
        'np.asarray([[1, 2]], dtype=np.float32)', 'np.asanyarray([1.5])',
    ]},
    {'name': 'zeros, ones, full, empty, eye and the _like functions make NumPy\'s shapes and dtypes', 'cases': [
        'np.zeros(3)', 'np.zeros((2, 3))', 'np.zeros((2, 0))', 'np.ones((2, 2), dtype=int)', 'np.ones(3, dtype=bool)',
        'np.full((2, 2), 7)', 'np.full(3, 2.5)', 'np.full((2,), True)', 'np.full(2, 7, dtype=np.float32)',
        'np.eye(3)', 'np.eye(2, 3, k=1)', 'np.eye(3, k=-1, dtype=int)', 'np.identity(2)',
        'np.zeros_like(np.array([[1, 2]]))', 'np.ones_like(np.array([1.5, 2]))', 'np.full_like(np.array([1, 2]), 3.7)',
        'np.zeros(())', 'np.zeros(-1)', 'np.zeros((2, 3)).shape', 'np.ones(4).size',
    ]},
    {'name': 'arange computes the first two values and fills value i as first + i*(second - first)', 'cases': [
        'np.arange(5)', 'np.arange(2, 10, 3)', 'np.arange(10, 2, -3)', 'np.arange(0.0, 1.0, 0.1)', 'np.arange(0, 1, 0.1)',
        'np.arange(1, 2, 0.3)', 'np.arange(5.0)', 'np.arange(3, dtype=np.float32)', 'np.arange(0, 1, 0.1, dtype=np.float32)',
        'np.arange(0.5, 4, dtype=int)', 'np.arange(0)', 'np.arange(5, 2)', 'np.arange(-3, 3)', 'np.arange(0, 5, 0)',
        'np.arange(0.1, 0.5, 0.1)', 'np.arange(1e10, 1e10 + 5)', 'np.arange(np.float32(0.5), 3)',
    ]},
    {'name': 'linspace spaces values as NumPy does, ending exactly at stop', 'cases': [
        'np.linspace(0, 1, 5)', 'np.linspace(0, 1)', 'np.linspace(-1, 1, 7)', 'np.linspace(0, 1, 5, endpoint=False)',
        'np.linspace(2.0, 3.0, num=5, retstep=True)', 'np.linspace(0, 10, 4, dtype=int)', 'np.linspace(-5, 5, 4, dtype=int)',
        'np.linspace(0, 1, 1)', 'np.linspace(0, 1, 0)', 'np.linspace(0, 1, 3, dtype=np.float32)',
        'np.linspace(np.float32(0), np.float32(1), 4)', 'np.linspace(0, 1, -1)', 'np.linspace(1, 0, 6)',
        'np.linspace(0.1, 0.7, 13)', 'np.linspace(-3.5, 7.25, 11)',
    ]},
    {'name': 'concatenate, stack, vstack and hstack join arrays with NumPy\'s dtype and errors', 'cases': [
        'np.concatenate([np.array([1, 2]), np.array([3])])', 'np.concatenate([np.ones((2, 2)), np.zeros((1, 2))])',
        'np.concatenate([np.ones((2, 2)), np.zeros((2, 1))], axis=1)', 'np.concatenate([np.array([1]), np.array([1.5])])',
        'np.concatenate([np.ones((2, 2)), np.zeros((2, 1))])', 'np.concatenate([np.ones(2), np.ones((2, 2))])',
        'np.concatenate([np.ones((2, 2)), np.ones((2, 2))], axis=None)', 'np.concatenate([])',
        'np.concatenate([np.array(1), np.array(2)])', 'np.concatenate([np.ones(2)], axis=1)',
        'np.stack([np.array([1, 2]), np.array([3, 4])])', 'np.stack([np.array([1, 2]), np.array([3, 4])], axis=1)',
        'np.stack([np.array([1, 2]), np.array([3])])', 'np.stack([np.array([1, 2]), np.array([3.5, 4])], axis=-1)',
        'np.vstack([np.array([1, 2]), np.array([3, 4])])', 'np.hstack([np.array([1, 2]), np.array([3])])',
        'np.hstack([np.ones((2, 1)), np.zeros((2, 2))])', 'np.column_stack([np.array([1, 2]), np.array([3, 4])])',
    ]},

    # ------------------------------------------------------------------ dtypes
    {'name': 'np.dtype names, compares and prints the supported dtypes as NumPy does', 'cases': [
        'np.dtype("float32")', 'np.dtype(np.float64)', 'np.dtype(float)', 'np.dtype(int)', 'np.dtype(bool)',
        'np.dtype("f4")', 'np.dtype("<f8")', 'np.dtype("i8")', 'np.dtype("int32")', 'np.dtype("bool")',
        'str(np.dtype("float32"))', 'np.dtype("float32") == "float32"', 'np.dtype("float32") == np.float32',
        'np.dtype("float32") == np.float64', 'np.dtype(None)', 'np.dtype("foo")', 'np.dtype(3)',
        'np.dtype("float32").itemsize', 'np.dtype("float64").kind', 'np.dtype("int64").char', 'np.dtype("bool").name',
        'np.array([1.5]).dtype == np.float64', 'np.float32', 'np.float64', 'np.int64', 'np.bool_', 'np.bool',
        'np.dtype("int").name', 'np.dtype("float32").type', 'np.ones(2, dtype="d").dtype',
    ]},
    {'name': 'result_type, promote_types and issubdtype follow NumPy 2\'s promotion', 'cases': [
        'np.promote_types(np.int32, np.float32)', 'np.promote_types(np.int64, np.float32)',
        'np.promote_types("bool", "int32")', 'np.promote_types(np.float32, np.float64)', 'np.result_type(np.int32, 1.5)',
        'np.result_type(np.array([1], dtype=np.float32), 2.0)', 'np.result_type(1, 2.0)',
        'np.result_type(np.float32, np.float64(1))', 'np.issubdtype(np.float32, np.floating)',
        'np.issubdtype(np.int64, np.integer)', 'np.issubdtype(np.array([1]).dtype, np.number)',
        'np.issubdtype(np.bool_, np.integer)', 'np.can_cast(np.int64, np.float64)', 'np.can_cast(np.float64, np.int64)',
    ]},
    {'name': 'finfo and iinfo give the limits of the float and integer dtypes', 'cases': [
        'repr(np.finfo(np.float32))', 'np.finfo(np.float64).eps', 'np.finfo(np.float32).eps', 'np.finfo(np.float32).max',
        'np.finfo(float).tiny', 'np.finfo(np.float32).bits', 'repr(np.iinfo(np.int32))', 'np.iinfo(np.int64).max',
        'np.iinfo(int).min', 'np.finfo(int)',
    ]},

    # ------------------------------------------------------------------ scalars
    {'name': 'NumPy scalars print as NumPy 2 prints them', 'cases': [
        'np.float64(3.0)', 'np.float32(0.1)', 'np.int64(7)', 'np.True_', 'np.False_', 'np.float64(1e16)',
        'np.float64(1e-5)', 'np.float32(1e-4)', 'np.float64(np.nan)', 'np.float32(-np.inf)', 'np.float64(-0.0)',
        'str(np.float32(0.1))', 'str(np.float64(2.5))', 'str(np.True_)', 'np.float32(123456.7)', 'np.float64(0.1 + 0.2)',
        '[np.float64(1.5), np.int64(2)]', '(np.float32(2), np.False_)', 'np.float64(5)', 'np.int64("12")',
        'np.float32("1.5")', 'np.float32([1, 2])', 'np.bool_(3)', 'np.int64(2.7)', 'np.float64()',
    ]},
    {'name': 'scalar arithmetic follows NumPy 2: NumPy scalars keep their dtype, Python numbers adapt', 'cases': [
        'np.float32(1.5) + 1', 'np.float32(1.5) + 1.5', 'np.float32(1) + np.float64(1)', 'np.int64(3) + 1.5',
        'np.int64(7) / 2', 'np.int64(7) // 2', 'np.int64(-7) // 2', 'np.int64(-7) % 3', 'np.float64(-7) % 3',
        'np.float64(7.5) // 2', 'np.float32(0.1) * 3', 'np.int64(2) ** 10', '2 ** np.int64(3)', 'np.float64(2) ** 0.5',
        'np.True_ + np.True_', 'np.True_ * np.False_', 'np.True_ + 1', 'np.True_ / np.True_', '1 - np.float32(0.25)',
        'np.float32(3) > 2', 'np.float32(0.1) == 0.1', 'np.int64(3) == 3.0', 'np.float64(0.5) < np.float32(0.6)',
        '-np.int64(5)', 'abs(np.float32(-2.5))', '~np.True_', '~np.int64(5)', 'np.float32(16777216) + np.float32(1)',
        'np.int32(5) + np.int64(2)', 'np.float64(3).item()', 'type(np.float32(3).item())', 'np.float64(2).is_integer()',
        'float(np.float32(0.1))', 'int(np.float64(-2.7))', 'round(np.float64(2.5))', 'round(np.float32(2.567), 2)',
        'f"{np.float32(0.1):.3f}"', 'f"{np.float64(2.5)}"', 'np.float64(1.5).dtype', 'np.float32(1).shape',
        'isinstance(np.float64(1.0), float)', 'isinstance(np.int64(1), int)', 'np.float32(1.5).astype(np.int64)',
    ]},
    {'name': 'scalar arithmetic warns and wraps as NumPy does', 'cases': [
        'np.float64(1) / 0', 'np.float64(0) / 0', 'np.float64(1e308) * 10', 'np.float32(1e38) * 10', 'np.int64(1) // 0',
        'np.int64(1) % 0', 'np.int64(2 ** 62) * 4', 'np.int64(2) ** -1', 'np.int32(2 ** 31 - 1) + np.int32(1)',
        'np.float64(np.inf) - np.inf', 'np.int64(3) ** 50', '-np.int64(-2 ** 63)', 'np.True_ - np.True_',
        'np.float32(1) + 1e300', 'np.int32(2 ** 40)', 'np.int64(float("nan"))',
    ]},

    # ------------------------------------------------------------------ arithmetic
    {'name': 'array arithmetic promotes dtypes as NumPy 2 does (NEP 50)', 'cases': [
        'np.array([1, 2]) + 1.5', 'np.array([1, 2]) + 1', 'np.array([1.0, 2.0], dtype=np.float32) + 1.5',
        'np.array([1.0, 2.0], dtype=np.float32) + np.float64(1)', 'np.array([1.0, 2.0], dtype=np.float32) + np.array(1.0)',
        'np.array([1.0], dtype=np.float32) + np.array([1.0])', 'np.array([1, 2]) / 2', 'np.array([1, 2]) / np.array([2, 4])',
        'np.array([True, False]) + 1', 'np.array([True, False]) + 1.5', 'np.array([True, False]) + True',
        'np.array([True, True]) * np.array([True, False])', 'np.array([1.5, 2.5]) * np.array([2, 3])',
        'np.array([1, 2]) * np.float32(0.5)', 'np.array([1, 2]) - np.array([0.5])', 'np.array([1, 2]) ** 2',
        'np.array([1.5, 2.0]) ** 2', 'np.array([2.0, 3.0]) ** np.array([0.5, 3])', '2 ** np.array([1, 2, 3])',
        '2.0 ** np.array([1, 2, 3])', '10 - np.array([1, 2])', '1 / np.array([1, 2, 4])', '1.5 * np.array([1, 2])',
        'np.array([7, -7]) // 2', 'np.array([7, -7]) % 3', 'np.array([7.5, -7.5]) // 2', 'np.array([7.5, -7.5]) % 2',
        'np.array([5.0, -5.0]) % -3', 'np.array([1, 2]) // np.array([0.5, 0.7])', 'np.array([0.1, 0.2, 0.3]) * 3',
        'np.array([1.0, 2.0], dtype=np.float32) / 3', 'np.array([1, 2, 3]) * 0.1', 'np.array([1e200]) * 1e200',
    ]},
    {'name': 'arithmetic broadcasts shapes as NumPy does, with its error for shapes that do not match', 'cases': [
        'np.ones((2, 3)) + np.array([1, 2, 3])', 'np.ones((2, 1)) * np.array([1, 2, 3])', 'np.ones((3,)) + np.ones((2, 1))',
        'np.arange(6).reshape(2, 3) - np.array([[1], [2]])', 'np.ones((2, 3)) + np.ones(4)',
        'np.array([1, 2]) + np.array([1, 2, 3])', 'np.ones((2, 3, 4)) + np.ones((3, 1))', 'np.ones(()) + np.ones(3)',
    ]},
    {'name': 'integer overflow of Python ints and integer division by zero behave as in NumPy 2', 'cases': [
        'np.array([1, 2]) // 0', 'np.array([1, 2]) % 0', 'np.array([1, 2]) // np.array([0, 1])',
        'np.array([2, 3]) ** -1', 'np.array([1, 2]) < 2 ** 70', 'np.array([1, 2]) == 1.5', 'np.array([1, 2]) + 2 ** 70',
    ]},
    {'name': 'float division and overflow give inf and nan with NumPy\'s RuntimeWarnings', 'cases': [
        'np.array([1.0, -1.0, 0.0]) / 0', 'np.array([1.0, 2.0]) / np.array([0.0, 1.0])', 'np.array([0.0]) / 0.0',
        'np.array([1e308]) * 10', 'np.array([1e38], dtype=np.float32) * 10', 'np.array([np.inf]) - np.inf',
        'np.array([np.nan, 1.0]) + 1', 'np.array([0.0, 2.0]) ** -1', 'np.array([-1.0]) ** 0.5',
        'np.array([1.0]) // 0', 'np.array([1.0, 0.0]) % 0',
    ]},
    {'name': 'comparison and logical operators give bool arrays', 'cases': [
        'np.array([1, 2, 3]) > 2', 'np.array([1.0, np.nan]) == np.array([1.0, np.nan])', 'np.array([1, 2]) != 2',
        'np.array([0.1], dtype=np.float32) == 0.1', 'np.array([1, 2]) <= np.array([[1], [2]])',
        '(np.array([1, 2, 3]) > 1) & (np.array([1, 2, 3]) < 3)', '(np.array([1, 2]) > 1) | np.array([True, False])',
        'np.array([True, False]) ^ True', '~np.array([True, False])', 'np.logical_and([1, 0], [1, 1])',
        'np.logical_or(np.array([0.0, 2.0]), 0)', 'np.logical_not(np.array([0, 3]))', 'np.logical_xor(True, [True, False])',
        'np.array([1.5, 2.5]) & np.array([1.0, 0.0])', 'np.equal(np.array([1, 2]), 2)', 'np.greater(3, np.array([1, 5]))',
    ]},
    {'name': 'unary operators negate, copy and take absolute values as NumPy does', 'cases': [
        '-np.array([1, -2])', '-np.array([1.5, 0.0])', '+np.array([1, 2])', 'abs(np.array([-1.5, 2.0, -0.0]))',
        'abs(np.array([-3, 3]))', '-np.array([True])', 'abs(np.array([True, False]))', '~np.array([5, -1])',
        '~np.array([1.5])', 'np.negative(np.array([1, 2]))', 'np.positive(np.array([1.5]))', 'np.absolute(-2)',
        'np.square(np.array([1.5, -2]))', 'np.sign(np.array([-2.0, 0.0, 3.0, np.nan]))', 'np.sign(np.array([-3, 0, 3]))',
    ]},
    {'name': 'in-place operators write into the array when NumPy\'s same-kind casting allows it', 'cases': [
        'a = np.array([1.0, 2.0]); a += 1; a', 'a = np.array([1, 2]); a *= 3; a', 'a = np.array([1, 2]); a += 1.5; a',
        'a = np.array([1.0, 2.0], dtype=np.float32); a += np.array([0.1, 0.2]); a', 'a = np.ones((2, 2)); a -= np.array([1, 2]); a',
        'a = np.ones(2); a += np.ones((2, 2)); a', 'a = np.array([1, 2]); a /= 2; a', 'a = np.array([4.0, 9.0]); a **= 0.5; a',
        'a = np.array([True, False]); a |= np.array([False, True]); a', 'a = np.arange(4.0); b = a[1:3]; b *= 10; a',
        'a = np.array([5, 7]); a //= 2; a', 'a = np.array([5.5, 7.5]); a %= 2; a',
    ]},
    {'name': 'matmul, dot and @ multiply matrices and vectors with NumPy\'s shapes and errors', 'compare': 'close', 'cases': [
        'np.array([[1.0, 2.0], [3.0, 4.0]]) @ np.array([[5.0], [6.0]])', 'np.array([1.0, 2.0]) @ np.array([3.0, 4.0])',
        'np.dot(np.array([1.5, 2.5]), np.array([2.0, 4.0]))', 'np.dot(np.ones((2, 3)), np.ones((3, 2)))',
        'np.array([[1, 2], [3, 4]]) @ np.array([1, 1])', 'np.matmul(np.ones((2, 2, 3)), np.ones((3, 4))).shape',
        'np.ones((2, 3)) @ np.ones((2, 3))', 'np.ones(3) @ 2', 'np.dot(np.ones((2, 3)), np.ones(2))', 'np.dot(3, np.array([1, 2]))',
        'np.array([[0.1, 0.2], [0.3, 0.4]], dtype=np.float32) @ np.array([[1.0], [2.0]], dtype=np.float32)',
        'np.arange(6.0).reshape(2, 3).dot(np.arange(3.0))',
    ]},

    # ------------------------------------------------------------------ indexing
    {'name': 'integer, slice, ellipsis and newaxis indexing give NumPy\'s scalars and views', 'cases': [
        'a = np.arange(10); a[3]', 'a = np.arange(10); a[-1]', 'a = np.arange(10); a[2:5]', 'a = np.arange(10); a[::3]',
        'a = np.arange(10); a[5:2]', 'a = np.arange(10); a[-3:]', 'a = np.arange(12).reshape(3, 4); a[1]',
        'a = np.arange(12).reshape(3, 4); a[1, 2]', 'a = np.arange(12).reshape(3, 4); a[:, 1]',
        'a = np.arange(12).reshape(3, 4); a[1:, ::2]', 'a = np.arange(12).reshape(3, 4); a[..., 0]',
        'a = np.arange(12).reshape(3, 4); a[None, 1]', 'a = np.arange(12).reshape(3, 4); a[:, None, 0].shape',
        'a = np.arange(3.0); a[np.newaxis, :]', 'a = np.array(5.0); a[()]', 'a = np.array(5.0); a[...]',
        'a = np.arange(12).reshape(3, 4); a[1][2]', 'a = np.arange(6.0); b = a[1:4]; b[0] = 99; a',
        'a = np.arange(12).reshape(3, 4); a[np.int64(1)]', 'a = np.arange(5.0); a[1:2].shape',
    ]},
    {'name': 'boolean masks and integer arrays select copies as NumPy does', 'cases': [
        'a = np.arange(6); a[a > 2]', 'a = np.arange(6).reshape(2, 3); a[a % 2 == 0]', 'a = np.arange(5); a[[0, 2, 4]]',
        'a = np.arange(5); a[np.array([-1, 0])]', 'a = np.arange(12).reshape(3, 4); a[[0, 2]]',
        'a = np.arange(12).reshape(3, 4); a[[0, 2], [1, 3]]', 'a = np.arange(12).reshape(3, 4); a[:, [0, 3]]',
        'a = np.arange(12).reshape(3, 4); a[np.array([True, False, True])]', 'a = np.arange(4); a[[True, False, True, False]]',
        'a = np.arange(5.0); b = a[[1, 2]]; b[0] = 99; a', 'a = np.arange(12).reshape(3, 4); a[1, [0, 1]]',
        'a = np.arange(12).reshape(3, 4); a[[[0], [2]], [1, 3]]', 'a = np.arange(4); a[np.array([], dtype=int)]',
    ]},
    {'name': 'bad indices raise NumPy\'s IndexError with its message', 'cases': [
        'np.arange(3)[5]', 'np.arange(3)[-4]', 'np.ones((3, 2))[1, 2, 3]', 'np.ones((3, 2))[0, 5]',
        'np.arange(3)[[True, False]]', 'np.arange(3)[1.5]', 'np.arange(3)[np.array([1, 5])]', 'np.arange(3)[::0]',
        'np.arange(3)[..., ...]', 'np.arange(3)[np.array([1.0])]', 'np.arange(3)["a"]', 'np.array(5)[0]',
    ]},
    {'name': 'assignment through an index writes into the array with NumPy\'s casts and broadcasting', 'cases': [
        'a = np.zeros(4); a[1] = 5; a', 'a = np.zeros(4); a[1:3] = [7, 8]; a', 'a = np.zeros((2, 3)); a[:, 1] = 2.5; a',
        'a = np.zeros((2, 3)); a[0] = np.array([1, 2, 3]); a', 'a = np.arange(5); a[a > 2] = 0; a',
        'a = np.arange(5); a[[0, 4]] = [10, 40]; a', 'a = np.zeros(3, dtype=int); a[0] = 2.9; a',
        'a = np.zeros(3, dtype=int); a[0] = np.nan', 'a = np.zeros(3); a[:2] = [1, 2, 3]', 'a = np.zeros(3, dtype=bool); a[1] = 5; a',
        'a = np.zeros(3, dtype=np.float32); a[0] = 0.1; a', 'a = np.zeros((2, 2)); a[...] = 1; a', 'a = np.zeros(3); a[5] = 1',
        'a = np.zeros(2); a[0] = "3.5"; a', 'a = np.array(1.5); a[()] = 2; a',
    ]},

    # ------------------------------------------------------------------ shape and conversion
    {'name': 'reshape, ravel, flatten, transpose and squeeze give NumPy\'s shapes', 'cases': [
        'np.arange(6).reshape(2, 3)', 'np.arange(6).reshape((3, -1))', 'np.arange(6).reshape(4)',
        'np.arange(6).reshape((4, -1))', 'np.arange(6).reshape(-1, -1)', 'np.arange(6).reshape(2, 3).T',
        'np.arange(6).reshape(2, 3).ravel()', 'np.arange(6).reshape(2, 3).T.flatten()', 'np.arange(24).reshape(2, 3, 4).transpose(1, 0, 2).shape',
        'np.arange(6).reshape(1, 2, 1, 3).squeeze().shape', 'np.arange(3).reshape(1, 3).squeeze(axis=0)',
        'np.arange(3).reshape(1, 3).squeeze(axis=1)', 'np.expand_dims(np.arange(3), 0).shape', 'np.expand_dims(np.arange(3), -1).shape',
        'a = np.arange(6); a.shape = (2, 3); a', 'np.arange(6).reshape(2, 3).swapaxes(0, 1)', 'np.reshape(np.arange(4), (2, 2))',
        'np.transpose(np.arange(6).reshape(2, 3))', 'np.ravel([[1, 2], [3, 4]])', 'np.arange(8).reshape(2, 2, 2).T.shape',
        'np.arange(6).reshape(2, 3).transpose(0, 2)', 'np.shape([[1, 2, 3]])', 'np.ndim(5)',
    ]},
    {'name': 'astype, tolist, item, copy, fill and len convert as NumPy does', 'cases': [
        'np.array([1.7, -1.7, 2.5]).astype(int)', 'np.array([1, 0, 3]).astype(bool)', 'np.array([0.0, np.nan]).astype(bool)',
        'np.array([1, 2]).astype(np.float32)', 'np.array([1e40]).astype(np.float32)', 'np.array([np.nan, 1.0]).astype(np.int64)',
        'np.array([0.1, 0.2]).astype("float32").tolist()', 'np.array([[1, 2], [3, 4]]).tolist()', 'np.array([True]).tolist()',
        'np.array(2.5).tolist()', 'np.array([[7]]).item()', 'np.array([1, 2, 3]).item(1)', 'np.array([1, 2]).item()',
        'a = np.array([1, 2]); b = a.copy(); b[0] = 5; a', 'a = np.zeros(3); a.fill(2); a', 'len(np.zeros((4, 2)))',
        'len(np.array(1))', 'float(np.array(2.5))', 'int(np.array([3]))', 'bool(np.array([0]))', 'bool(np.array([1, 2]))',
        'bool(np.array([]))', 'np.array([1.5]).astype(np.float64, copy=False).dtype',
    ]},
    {'name': 'iterating over an array gives NumPy scalars or rows', 'cases': [
        '[x for x in np.array([1.5, 2.5])]', '[r for r in np.arange(4).reshape(2, 2)]', 'list(np.array([True, False]))',
        'sum(np.array([1, 2, 3]))', 'max(np.array([0.5, 2.0]))', 'iter(np.array(1.0))', '3 in np.array([1, 2, 3])',
    ]},

    # ------------------------------------------------------------------ reductions
    {'name': 'sum and mean add in NumPy\'s order (pairwise along the contiguous axis) with its result dtypes', 'cases': [
        'np.arange(10).sum()', 'np.array([0.1] * 10).sum()', 'np.array([0.1] * 10, dtype=np.float32).sum()',
        'np.arange(12).reshape(3, 4).sum(axis=0)', 'np.arange(12).reshape(3, 4).sum(axis=1)',
        'np.arange(12.0).reshape(3, 4).sum(axis=(0, 1))', 'np.arange(12).reshape(3, 4).sum(axis=1, keepdims=True)',
        'np.array([True, True, False]).sum()', 'np.array([1.5, 2.5]).mean()',
        'np.arange(5).mean()', 'np.array([1.0, 2.0], dtype=np.float32).mean()', 'np.arange(12.0).reshape(3, 4).mean(axis=0)',
        'np.arange(12.0).reshape(3, 4).mean(axis=-1, keepdims=True)', 'np.array([[0.1, 0.2], [0.3, 0.4]]).T.sum(axis=0)',
        'np.sum([1, 2, 3])', 'np.mean([[1, 2], [3, 4]], axis=1)', 'np.zeros((0,)).sum()', 'np.zeros((0,)).mean()',
        'np.zeros((2, 0)).sum(axis=1)', 'np.arange(6).sum(axis=2)', 'np.arange(6).reshape(2, 3).sum(axis=(0, 0))',
        'np.array([1.0, np.nan]).sum()', 'np.array([0.1, 0.2, 0.3], dtype=np.float32).sum(dtype=np.float64)',
        'np.array([-0.0]).sum()', 'np.arange(4.0).reshape(2, 2).mean(dtype=np.float32)',
    ]},
    {'name': 'sums of long float arrays match NumPy 2 to the last bit', 'cases': [
        'np.random.seed(1); a = np.random.randn(10000); a.sum()', 'np.random.seed(2); a = np.random.randn(100000).astype(np.float32); a.sum()',
        'np.random.seed(3); a = np.random.randn(300, 70).astype(np.float32); a.sum(axis=1)[:5]',
        'np.random.seed(4); a = np.random.randn(300, 70).astype(np.float32); a.sum(axis=0)[:5]',
        'np.random.seed(5); a = np.random.randn(40, 50).astype(np.float32); a.T.sum(axis=0)[:5]',
        'np.random.seed(6); a = np.random.randn(2000); a.mean()', 'np.random.seed(7); a = np.random.randn(1000).astype(np.float32); a.mean()',
        'np.random.seed(8); a = np.random.randn(20, 30, 40); a.sum(axis=(0, 2))[:4]', 'np.random.seed(9); a = np.random.randint(0, 1000, 20000); a.mean()',
        'np.random.seed(10); a = np.random.randn(50, 30); a.std(axis=0)[:4]', 'np.random.seed(11); a = np.random.randn(500).astype(np.float32); a.var()',
    ]},
    {'name': 'var and std follow NumPy\'s two-pass formula with ddof', 'cases': [
        'np.array([1.0, 2.0, 4.0]).var()', 'np.array([1.0, 2.0, 4.0]).std()', 'np.array([1, 2, 4]).std(ddof=1)',
        'np.arange(12.0).reshape(3, 4).var(axis=0)', 'np.arange(12.0).reshape(3, 4).std(axis=1, keepdims=True)',
        'np.array([0.1, 0.2, 0.3], dtype=np.float32).std()', 'np.array([1.0]).var(ddof=1)', 'np.std([2, 4, 4, 4, 5, 5, 7, 9])',
        'np.var(np.array([[1, 2], [3, 4]]), axis=0)', 'np.array([1.0, 2.0]).var(ddof=2)',
    ]},
    {'name': 'min, max, argmin and argmax reduce as NumPy does, nan included', 'cases': [
        'np.array([3, 1, 2]).max()', 'np.array([3.5, 1.0, 2.0]).min()', 'np.arange(12).reshape(3, 4).max(axis=0)',
        'np.arange(12).reshape(3, 4).min(axis=1, keepdims=True)', 'np.array([1.0, np.nan, 3.0]).max()',
        'np.array([[1, 5], [7, 2]]).argmax()', 'np.array([[1, 5], [7, 2]]).argmax(axis=0)', 'np.array([[1, 5], [7, 2]]).argmin(axis=1)',
        'np.array([1.0, np.nan, 3.0]).argmax()', 'np.array([2, 9, 9]).argmax()', 'np.array([True, False]).max()',
        'np.zeros(0).max()', 'np.zeros(0).argmax()', 'np.max([1, 5, 3])', 'np.amin(np.array([[4, 2], [3, 1]]), axis=0)',
        'np.argmax(np.array([[1, 5], [7, 2]]), axis=1, keepdims=True)', 'np.arange(6).reshape(2, 3).max(axis=(0, 1))',
        'np.array([1, 2], dtype=np.float32).max()', 'np.array([[1, 2], [3, 4]]).max(axis=3)',
    ]},
    {'name': 'prod multiplies one value after another with NumPy\'s result dtype', 'cases': [
        'np.array([1, 2, 3, 4]).prod()', 'np.array([1.5, 2.0, 3.0]).prod()', 'np.arange(1, 7).reshape(2, 3).prod(axis=0)',
        'np.array([True, True]).prod()', 'np.array([0.1, 0.2, 0.3], dtype=np.float32).prod()', 'np.prod([])',
        'np.arange(1.0, 13.0).reshape(3, 4).prod(axis=1, keepdims=True)',
    ]},
    {'name': 'any and all test truth along axes', 'cases': [
        'np.array([0, 0, 1]).any()', 'np.array([1, 1, 0]).all()', 'np.array([[True, False], [True, True]]).all(axis=1)',
        'np.array([[0, 0], [0, 1]]).any(axis=0, keepdims=True)', 'np.array([np.nan]).all()', 'np.zeros(0).all()',
        'np.any([0.0, 0.5])', 'np.all(np.array([1, 2]) > 0)',
    ]},

    # ------------------------------------------------------------------ functions
    {'name': 'exp, log, sqrt, tanh and friends compute in float64 for integers, float32 for float32', 'compare': 'close',
     'cases': [
        'np.exp(np.array([0.0, 1.0, -1.0]))', 'np.exp(np.array([1, 2]))', 'np.exp(np.array([1.0, 2.0], dtype=np.float32))',
        'np.log(np.array([1.0, np.e, 10.0]))', 'np.sqrt(np.array([4, 2]))', 'np.sqrt(np.array([2.0], dtype=np.float32))',
        'np.tanh(np.array([-1.0, 0.0, 0.5]))', 'np.exp(1.0)', 'np.log(2)', 'np.sqrt(np.float32(2))', 'np.exp([0.5, 1.5])',
        'np.log1p(np.array([1e-10, 1.0]))', 'np.expm1(np.array([1e-10, 1.0]))', 'np.sin(np.array([0.0, 1.0]))',
        'np.cos(np.array([0.0, 1.0]))',
    ]},
    {'name': 'math functions warn about their domain as NumPy does', 'cases': [
        'np.log(np.array([0.0]))', 'np.log(np.array([-1.0]))', 'np.sqrt(np.array([-4.0]))', 'np.exp(np.array([1000.0]))',
        'np.log(0)', 'np.sqrt(-1.0)', 'np.exp(np.array([710.0], dtype=np.float32))',
    ]},
    {'name': 'maximum, minimum and clip propagate nan and follow NumPy 2\'s promotion', 'cases': [
        'np.maximum(np.array([1, 5]), np.array([3, 2]))', 'np.minimum(np.array([1.0, np.nan]), 0.5)',
        'np.maximum(np.array([1, 2]), 1.5)', 'np.maximum(2, 3)', 'np.clip(np.array([-2, 0, 5]), -1, 3)',
        'np.clip(np.array([1, 2, 3]), 0.5, 2.5)', 'np.clip(np.array([1.0, np.nan]), 0, 1)', 'np.array([0.5, 3.0]).clip(1, 2)',
        'np.clip(np.array([1, 5]), None, 3)', 'np.clip(np.array([1, 5]), 2, None)', 'np.clip(np.arange(5), 3, 1)',
        'np.maximum(np.array([True, False]), np.array([False, False]))',
    ]},
    {'name': 'where selects with NumPy 2\'s dtype, or finds the nonzero positions', 'cases': [
        'np.where(np.array([True, False, True]), 1, 0)', 'np.where(np.array([1, 0, 2]) > 0, np.array([1.5, 2, 3]), -1)',
        'np.where(np.arange(4) > 1)', 'np.where([[0, 1], [1, 0]])', 'np.where(True, 1, 2)', 'np.nonzero(np.array([0, 3, 0, 4]))',
        'np.where(np.array([True, False]), np.float32(1), 2.5)', 'np.where(np.array([True, False]), 1)',
        'np.array([[0, 2], [3, 0]]).nonzero()',
    ]},
    {'name': 'isclose, allclose, isnan, isinf and isfinite compare and classify as NumPy does', 'cases': [
        'np.isclose(np.array([1.0, 1.1]), 1.0)', 'np.isclose(1.0, 1.0 + 1e-9)', 'np.allclose([1.0, 2.0], [1.0, 2.0000001])',
        'np.allclose(np.array([1.0, np.nan]), np.array([1.0, np.nan]))', 'np.allclose(np.array([1.0, np.nan]), np.array([1.0, np.nan]), equal_nan=True)',
        'np.isclose(np.array([1e-9], dtype=np.float32), 0)', 'np.isnan(np.array([1.0, np.nan]))', 'np.isinf(np.array([np.inf, -np.inf, 0.0]))',
        'np.isfinite(np.array([1.0, np.inf, np.nan]))', 'np.isnan(np.array([1, 2]))', 'np.isnan(np.nan)',
        'np.isclose(np.array([np.inf]), np.inf)', 'np.array_equal(np.array([1, 2]), np.array([1.0, 2.0]))',
        'np.allclose(np.ones((2, 2)), 1)',
    ]},
    {'name': 'constants and np.newaxis are NumPy\'s', 'cases': [
        'np.pi', 'np.e', 'np.inf', 'np.nan', 'np.newaxis is None', 'np.euler_gamma',
    ]},

    # ------------------------------------------------------------------ printing
    {'name': 'arrays print with NumPy\'s widths, precision 8 and line wrapping at 75 columns', 'cases': [
        'np.array([1.0, 2.0])', 'np.array([0.1, 0.25, 100.0])', 'np.array([1e-5, 1.0])', 'np.array([1e8, 1.0])',
        'np.array([1.0, 1234.5])', 'np.array([1.123456789123, 2.0])', 'np.array([-1.5, 2.25, np.nan, np.inf])',
        'np.array([np.nan, np.nan])', 'np.array([-np.inf, 1.0])', 'np.array([1, -22, 333])', 'np.array([True, False, True])',
        'np.arange(30) * 1.5', 'np.arange(40)', 'np.arange(24.0).reshape(2, 3, 4)', 'np.linspace(0, 1, 11)',
        'np.array([[1.5, 2.0], [3.0, -4.25]])', 'np.array([1e-10, 1.0, 1e10])', 'np.array([0.0, 0.0])', 'np.array([-0.0])',
        'np.array([1.0, 2.0], dtype=np.float32)', 'np.array([0.1, 1.0 / 3.0], dtype=np.float32)', 'np.array([1, 2], dtype=np.int64)',
        'np.array([[True, False], [False, True]])', 'np.zeros((2, 0))', 'np.zeros((0, 3), dtype=np.float32)',
        'np.array(3.5)', 'np.array(-2)', 'np.array(True)', 'np.array(np.nan)', 'np.array([[1e-5]])', 'np.arange(100).reshape(10, 10)',
        'np.arange(100.0).reshape(10, 10) / 7', 'str(np.arange(100.0).reshape(10, 10) / 7)', 'str(np.array([1.5, 2.0]))',
        'str(np.array(3.5))', 'str(np.array([[1, 2], [3, 4]]))', 'str(np.array([True, False]))', 'str(np.zeros(0))',
        'np.array([123456789.0, 1.5])', 'np.array([0.001, 1000.0])', 'np.array([0.001, 1000.1])', 'np.array([1.5e300, -2e-300])',
        'np.array([100.0, 0.5], dtype=np.float32)', 'np.array([1e5, 1e-3], dtype=np.float32)', 'np.array([3.14159265358979])',
        'np.array([1e-4], dtype=np.float32)', 'np.array([1234567.0, 1.5], dtype=np.float32)', 'np.float32(2139674.0)',
        'np.array([999999.0], dtype=np.float32)',
    ]},
    {'name': 'large arrays print their corners with ... and, in NumPy 2, their shape', 'cases': [
        'np.arange(1001)', 'np.arange(2000.0)', 'np.arange(3000).reshape(30, 100)', 'np.zeros((1001,), dtype=np.float32)',
        'str(np.arange(2000))', 'np.arange(1000)', 'np.arange(12000).reshape(10, 12, 100)',
    ]},
    {'name': 'set_printoptions and printoptions change precision, threshold, edgeitems, linewidth, suppress and sign', 'cases': [
        'np.set_printoptions(precision=3); np.array([1.123456, 2.0])', 'np.set_printoptions(threshold=5); np.arange(10)',
        'np.set_printoptions(threshold=5, edgeitems=1); np.arange(10)', 'np.set_printoptions(linewidth=20); np.arange(12)',
        'np.set_printoptions(suppress=True); np.array([1e-10, 1.0])', 'np.set_printoptions(sign="+"); np.array([1.5, -2.0])',
        'np.set_printoptions(sign=" "); np.array([1.5, 2.0])', 'np.set_printoptions(floatmode="fixed", precision=2); np.array([1.0, 2.5])',
        'np.set_printoptions(floatmode="unique"); np.array([0.1, 1.0 / 3])', 'np.set_printoptions(floatmode="maxprec_equal"); np.array([1.5, 2.25])',
        'np.set_printoptions(nanstr="NaN"); np.array([np.nan, 1.0])', 'np.set_printoptions(precision=4); np.float64(1.23456789)',
        'with np.printoptions(precision=2): s = repr(np.array([1.2345])); s', 'np.get_printoptions()["linewidth"]',
        'np.set_printoptions(floatmode="bad")', 'np.set_printoptions(sign="x")', 'np.set_printoptions(precision=1.5)',
        'np.array2string(np.array([1.0, 2.5]), separator=", ")', 'np.array_repr(np.array([1, 2]))', 'np.array_str(np.array([1.5]))',
        'np.format_float_positional(np.float32(0.1))', 'np.format_float_scientific(1234.5, precision=2)',
    ]},

    # ------------------------------------------------------------------ random
    {'name': 'np.random gives NumPy\'s legacy values for a seed, bit for bit', 'cases': [
        'np.random.seed(0); np.random.rand(5)', 'np.random.seed(0); np.random.randn(5)', 'np.random.seed(42); np.random.rand(2, 3)',
        'np.random.seed(1); np.random.randn(2, 2)', 'np.random.seed(0); np.random.randint(0, 10, 8)', 'np.random.seed(0); np.random.randint(5)',
        'np.random.seed(0); np.random.randint(-5, 5, size=(2, 3))', 'np.random.seed(0); np.random.randint(0, 2 ** 40, 3)',
        'np.random.seed(0); np.random.rand()', 'np.random.seed(0); np.random.randn()', 'np.random.seed(3); np.random.permutation(10)',
        'np.random.seed(3); a = np.arange(8); np.random.shuffle(a); a', 'np.random.seed(3); a = np.arange(6).reshape(3, 2); np.random.shuffle(a); a',
        'np.random.seed(3); a = [1, 2, 3, 4]; np.random.shuffle(a); a', 'np.random.seed(3); np.random.permutation(np.array([1.5, 2.5, 3.5]))',
        'np.random.seed(5); np.random.uniform(-1, 1, 4)', 'np.random.seed(5); np.random.normal(10, 2, 3)',
        'np.random.seed(5); np.random.random((2, 2))', 'np.random.seed(5); np.random.random_sample()',
        'np.random.seed(5); np.random.choice(10, 4)', 'np.random.seed(5); np.random.choice([1.5, 2.5, 3.5], 5)',
        'np.random.seed(5); np.random.choice(10, 4, replace=False)', 'np.random.seed(5); np.random.choice(3, 6, p=[0.1, 0.3, 0.6])',
        'np.random.seed(5); np.random.choice(5)', 'np.random.seed(2 ** 32 - 1); np.random.rand(2)',
        'np.random.seed([1, 2, 3]); np.random.rand(2)', 'np.random.seed(0); a = np.random.rand(3); b = np.random.randn(3); c = np.random.randint(0, 100, 3); (a, b, c)',
        'r = np.random.RandomState(7); r.rand(3)', 'r = np.random.RandomState(7); r.randn(2); r.randn(3)',
        'np.random.seed(0); np.random.randn(7); np.random.randn(1)', 'np.random.seed(0); np.random.randint(0, 10, dtype=np.int64)',
        'np.random.seed(0); np.random.randint(0, 2, 10, dtype=bool)',
        'np.random.seed(-1)', 'np.random.seed(2 ** 32)', 'np.random.seed(1.5)', 'np.random.randint(5, 5)',
        'np.random.randint(0, 2 ** 31, dtype=np.int64).__class__.__name__', 'np.random.seed(0); np.random.rand(1001).sum()',
        'np.random.seed(0); np.random.randn(2000).mean()', 'np.random.choice(3, 5, replace=False)',
        'np.random.choice(3, 2, p=[0.5, 0.6, 0.1])',
    ]},
    {'name': 'np.random\'s integers in int32 are NumPy\'s', 'needs': 'int32', 'cases': [
        'np.random.seed(0); np.random.randint(0, 10, 5, dtype=np.int32)', 'np.random.seed(0); np.random.randint(3, dtype=np.int32)',
    ]},

    # ------------------------------------------------------------------ loadtxt
    {'name': 'loadtxt reads CSV with delimiter, skiprows, usecols, unpack and dtype', 'cases': [
        'open("t.csv", "w").write("a,b,c\\n1,2,3\\n4,5,6\\n"); np.loadtxt("t.csv", delimiter=",", skiprows=1)',
        'open("t.csv", "w").write("1,2,3\\n4,5,6\\n"); np.loadtxt("t.csv", delimiter=",", usecols=(0, 2))',
        'open("t.csv", "w").write("1,2,3\\n4,5,6\\n"); np.loadtxt("t.csv", delimiter=",", usecols=-1)',
        'open("t.csv", "w").write("1,2,3\\n4,5,6\\n"); np.loadtxt("t.csv", delimiter=",", unpack=True)',
        'open("t.csv", "w").write("1,2,3\\n4,5,6\\n"); x, y, z = np.loadtxt("t.csv", delimiter=",", unpack=True); y',
        'open("t.csv", "w").write("1,2,3\\n4,5,6\\n"); np.loadtxt("t.csv", delimiter=",", dtype=int)',
        'open("t.csv", "w").write("1.5,2\\n3,4\\n"); np.loadtxt("t.csv", delimiter=",", dtype=np.float32)',
        'open("t.txt", "w").write("# c\\n1 2\\n\\n3 4 # t\\n"); np.loadtxt("t.txt")',
        'open("t.csv", "w").write("1,2,3\\n"); np.loadtxt("t.csv", delimiter=",")',
        'open("t.csv", "w").write("7\\n8\\n"); np.loadtxt("t.csv", delimiter=",")', 'open("t.csv", "w").write("7\\n"); np.loadtxt("t.csv")',
        'open("t.csv", "w").write("1,2\\n3,4\\n5,6\\n"); np.loadtxt("t.csv", delimiter=",", max_rows=2)',
        'open("t.csv", "w").write("1,2\\n"); np.loadtxt("t.csv", delimiter=",", ndmin=2)',
        'open("t.csv", "w").write(" 1 , 2 \\n3,4\\n"); np.loadtxt("t.csv", delimiter=",")',
        'np.loadtxt(["1 2", "3 4"])', 'open("t.csv", "w").write("0.1,1e-3,-2.5e2,nan,inf\\n"); np.loadtxt("t.csv", delimiter=",")',
    ]},
    {'name': 'loadtxt reports bad files with NumPy\'s errors, naming the row and column', 'cases': [
        'open("t.csv", "w").write("a,b,c\\n1,2,3\\n"); np.loadtxt("t.csv", delimiter=",")',
        'open("t.csv", "w").write("1,2,3\\n4,x,6\\n"); np.loadtxt("t.csv", delimiter=",")',
        'open("t.csv", "w").write("1,2,3\\n4,5\\n"); np.loadtxt("t.csv", delimiter=",")',
        'open("t.csv", "w").write(""); np.loadtxt("t.csv", delimiter=",")', 'np.loadtxt("missing.csv")',
        'open("t.csv", "w").write("1.5,2\\n"); np.loadtxt("t.csv", delimiter=",", dtype=int)',
        'open("t.csv", "w").write("1,2\\n3,\\n"); np.loadtxt("t.csv", delimiter=",")',
        'open("t.csv", "w").write("1,2,3\\n"); np.loadtxt("t.csv", delimiter=",", usecols=5)',
        'open("t.csv", "w").write("h1\\nh2\\n1,2\\n# c\\n\\n3,4\\n5,x\\n"); np.loadtxt("t.csv", delimiter=",", skiprows=2)',
        'open("t.csv", "w").write("h1\\nh2\\n1,2\\n# c\\n\\n3,4\\n5\\n"); np.loadtxt("t.csv", delimiter=",", skiprows=2)',
        'open("t.csv", "w").write("1,2\\n"); np.loadtxt("t.csv", delimiter=",", skiprows=5)',
    ]},

    # ------------------------------------------------------------------ names and errors
    {'name': 'names NumPy lacks raise NumPy\'s AttributeError, names NumPy 2 removed name their replacement', 'cases': [
        'np.no_such_function', 'np.ones(2).no_such_method', 'np.float_', 'np.NaN', 'np.Inf', 'np.product', 'np.random.no_such_thing',
        'hasattr(np, "no_such_thing")', 'np.ones(2).ptp()', 'np.ones((2, 3)).mT.shape',
    ]},
    {'name': 'axis and shape errors are NumPy\'s', 'cases': [
        'np.ones((2, 3)).sum(axis=2)', 'np.ones((2, 3)).sum(axis=-3)', 'np.ones((2, 3)).transpose(0, 0)',
        'np.ones((2, 3)).transpose(0)', 'np.ones((2, 3)).squeeze(axis=0)', 'np.ones(3).reshape(2, 2)',
        'type(np.ones(3).sum(axis=1)).__name__',
    ]},

    # ------------------------------------------------------------------ int32 (engine feature)
    {'name': 'int32 arrays compute, wrap and print as NumPy\'s', 'needs': 'int32', 'cases': [
        'np.array([1, 2], dtype=np.int32)', 'np.array([1, 2], dtype=np.int32) + 1', 'np.array([1, 2], dtype=np.int32) + 1.5',
        'np.array([2 ** 31 - 1], dtype=np.int32) + 1', 'np.array([1, 2], dtype=np.int32) + 2 ** 40',
        'np.array([1, 2], dtype=np.int32) * np.array([1, 2])', 'np.array([1, 2], dtype=np.int32).sum()',
        'np.array([1, 2], dtype=np.int32).mean()', 'np.array([1.7, -2.5], dtype=np.float64).astype(np.int32)',
        'np.array([3e9]).astype(np.int32)', 'np.arange(3, dtype=np.int32)', 'np.array([1, 2], dtype=np.int32) / 2',
        'np.array([1, 2], dtype=np.int32) + np.float32(1)', 'np.array([1, 2], dtype=np.int32) < 2 ** 40',
        'np.array([1, 2], dtype=np.int32)[0]', 'np.array([-3], dtype=np.int32) // 2',
    ]},
]


# ------------------------------------------------------------------ generated groups
# Made from a seeded generator, so that printing and scalar arithmetic meet many more values than
# the hand-written cases above. Only exactly rounded operations make the values (no libm), so
# CPython and Pyodide make the same cases; the driver's records carry the code to show it.

def _generated():
    import math
    import random
    import struct

    rnd = random.Random(20261203)

    def f32(x):
        return struct.unpack('<f', struct.pack('<f', x))[0]

    def value(kind):
        if kind == 'bool':
            return rnd.random() < 0.5
        if kind == 'int64':
            return rnd.randint(-10 ** rnd.randint(1, 9), 10 ** rnd.randint(1, 9))
        k = rnd.random()
        if k < 0.05:
            return rnd.choice([math.nan, math.inf, -math.inf, 0.0, -0.0])
        k = rnd.randint(-9, 11)
        v = (2 * rnd.random() - 1) * (float(10 ** k) if k >= 0 else 1 / float(10 ** -k))
        if k < 0.4:
            v = round(v, rnd.randint(0, 4))
        return f32(v) if kind == 'float32' else v

    def literal(v):
        if isinstance(v, float) and not math.isfinite(v):
            return 'np.nan' if v != v else ('np.inf' if v > 0 else '-np.inf')
        return repr(v)

    printing = []
    for _ in range(60):
        kind = rnd.choice(['float64', 'float64', 'float32', 'int64', 'bool'])
        ndim = rnd.choice([1, 1, 2, 2, 3])
        shape = [rnd.randint(1, 12 if ndim == 1 else 5) for _ in range(ndim)]
        n = 1
        for s in shape:
            n *= s
        values = [literal(value(kind)) for _ in range(n)]
        code = 'np.array([%s], dtype=np.%s).reshape(%s)' % (', '.join(values), 'bool_' if kind == 'bool' else kind,
                                                              tuple(shape))
        printing.append(code if rnd.random() < 0.7 else 'str(%s)' % code)

    scalars = ['np.float32(%r)', 'np.float64(%r)', 'np.int64(%d)', 'np.bool_(%r)']
    python = ['%d', '%r']
    operators = ['+', '-', '*', '/', '//', '%', '**', '==', '<', '>=']
    arithmetic = []
    for _ in range(200):
        def operand(numpy_scalar):
            if numpy_scalar:
                form = rnd.choice(scalars)
                if 'int64' in form:
                    return form % rnd.randint(-100, 100)
                if 'bool' in form:
                    return form % (rnd.random() < 0.5)
                v = rnd.choice([rnd.uniform(-10, 10), round(rnd.uniform(-10, 10), 1), 0.0, 3e38, 1e-40])
                return form % v
            form = rnd.choice(python)
            return form % (rnd.randint(-5, 5) if form == '%d' else round(rnd.uniform(-5, 5), 2))
        left_numpy = rnd.random() < 0.7
        a, b = operand(left_numpy), operand(not left_numpy or rnd.random() < 0.6)
        op = rnd.choice(operators)
        while 'bool_' in a and 'bool_' in b and op in ('//', '%', '**'):
            op = rnd.choice(operators)  # NumPy gives int8 there, which Autograd Lab lacks
        if op == '**':
            b = rnd.choice(['2', '-1', 'np.int64(2)'])  # exponents whose powers are exact or one division
        arithmetic.append('%s %s %s' % (a, op, b))
    return printing, arithmetic


_PRINTING, _ARITHMETIC = _generated()
GROUPS.append({'name': 'arrays of any shape, magnitude and dtype print as NumPy prints them (generated)',
               'cases': _PRINTING})
GROUPS.append({'name': 'scalar arithmetic of every type pair gives NumPy 2\'s type, value and warnings (generated)',
               'cases': _ARITHMETIC})
