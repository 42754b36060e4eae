"""The exceptions NumPy raises from numpy._core._exceptions (their names show in tracebacks)."""


class UFuncTypeError(TypeError):
    __module__ = 'numpy._core._exceptions'


class UFuncOutputCastingError(UFuncTypeError):
    """An in-place operator whose result's dtype may not be cast into the array's."""
    __module__ = 'numpy._core._exceptions'


# NumPy's class is _UFuncOutputCastingError, named UFuncTypeError (what type(e).__name__ says)
UFuncOutputCastingError.__name__ = 'UFuncTypeError'
UFuncOutputCastingError.__qualname__ = '_UFuncOutputCastingError'
