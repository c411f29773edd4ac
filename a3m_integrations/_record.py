"""A base for the light immutable records on the routing path.

`dataclasses` builds each class by generating and exec-ing source, about 1.5 ms a class on our
machines, and imports `inspect`; the routing path has a cold-start budget of 80 ms for the whole
`a3m route` command, so its records are plain classes with `__slots__` and an explicit
`__init__`, and get equality, hashing, repr, `replace` and copying from this base.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # typing is not imported at run time: the routing path must start fast
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    _R = TypeVar("_R", bound="Record")

__all__ = ["Record"]

_set = object.__setattr__


def _restore(cls: type[_R], values: tuple[Any, ...]) -> _R:
    return cls(**dict(zip(cls._fields, values)))


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function reading these attributes of an object as a tuple (attrgetter, in C)."""
    if len(names) > 1:
        return attrgetter(*names)
    return lambda obj: tuple(getattr(obj, name) for name in names)


class Record:
    """Immutable record: fields are the class's public `__slots__`, set once in `__init__`.

    Slots whose names start with '_' hold values derived in `__init__` (caches); they are not
    fields, so they take no part in equality, repr or `replace`.
    """

    __slots__: tuple[str, ...] = ()
    _fields: tuple[str, ...] = ()
    _get_fields: Callable[[Any], tuple[Any, ...]] = staticmethod(_getter(()))
    _get_slots: Callable[[Any], tuple[Any, ...]] = staticmethod(_getter(()))
    _slot_setters: tuple[Callable[[Any, Any], None], ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._fields = tuple(n for n in cls.__dict__.get("__slots__", ()) if not n.startswith("_"))
        cls._get_fields = staticmethod(_getter(cls._fields))
        cls._get_slots = staticmethod(_getter(tuple(cls.__slots__)))
        cls._slot_setters = tuple(getattr(cls, name).__set__ for name in cls.__slots__)  # the slots' descriptors

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use .replace({name}=...) for a changed copy")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple[Any, ...]:
        return self._get_fields(self)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"

    def replace(self: _R, **changes: Any) -> _R:
        """A copy with some fields changed (validated like a new instance)."""
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field(s) {sorted(unknown)}")
        values = dict(zip(self._fields, self._get_fields(self)))
        values.update(changes)
        return type(self)(**values)

    def _evolve(self: _R, **changes: Any) -> _R:
        """A copy with fields changed WITHOUT re-validation: only for values known to be valid."""
        copy = object.__new__(type(self))
        for set_slot, value in zip(self._slot_setters, self._get_slots(self)):
            set_slot(copy, value)
        for name, value in changes.items():
            _set(copy, name, value)
        return copy

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self._values()))
