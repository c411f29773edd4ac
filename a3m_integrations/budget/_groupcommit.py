"""Group commit for a ledger shared by threads: one transaction and one commit for many callers.

Leader/follower: a caller that finds no leader becomes one and runs every queued operation in
one transaction, wakes their callers after the commit, and repeats while operations keep
arriving, handing the role to a waiting caller after a few rounds so no caller waits long.
Under concurrency the leader yields briefly so the callers it just woke can join the next
batch. Python threads share one core for Python code, so this is what lets 8 threads pay for
fewer commits than they make operations.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar, cast

from a3m_integrations.errors import A3MError

__all__ = ["GroupCommit", "Slot"]

T = TypeVar("T")
_LEAD_ROUNDS = 4  # batches a leader runs after its own operation committed, before handing over


class Slot:
    """One queued operation and, once its batch committed, its result or error."""

    __slots__ = ("done", "error", "gate", "lead", "operation", "result")

    def __init__(self, operation: Callable[[], Any]) -> None:
        self.operation = operation
        self.done = False
        self.lead = False  # set when this waiting caller is asked to take over as leader
        self.result: Any = None
        self.error: A3MError | None = None
        self.gate: threading.Lock | None = None  # held until the slot is done: only for a caller that waits


class GroupCommit(ABC):
    """Mixin: `_atomic` queues an operation and returns its result once a batch holding it committed."""

    _lock: threading.Lock

    def _init_group(self) -> None:
        self._queue_lock = threading.Lock()
        self._queue: list[Slot] = []
        self._leading = False  # whether a caller is running queued operations
        self._last_batch = 1

    @abstractmethod
    def _run_in_one(self, slots: list[Slot], *, alone: bool) -> bool:
        """Run `slots` in one transaction, setting each slot's result or error.

        Returns False (after rolling back) if an operation raised and `alone` is False, so the
        caller can run each operation alone instead.
        """

    def _atomic(self, operation: Callable[[], T]) -> T:
        """Run `operation` in a transaction, committed together with other threads' waiting operations.

        Group commit, leader/follower style: a caller that finds no leader becomes one and runs
        every queued operation as one transaction, commits once, wakes their callers, and repeats
        while operations keep arriving (handing the role to a waiting caller after a few rounds).
        If an operation raises, the batch is rolled back and each operation runs alone, so one
        failing operation never affects another. Callers get their result only after the commit
        that holds their operation.
        """
        slot = Slot(operation)
        with self._queue_lock:
            self._queue.append(slot)
            lead = not self._leading
            if lead:
                self._leading = True
            else:
                gate = slot.gate = threading.Lock()  # a plain lock as a one-shot gate: cheaper than Event
                gate.acquire()
        if not lead:
            gate.acquire()
            lead = slot.lead
        if lead:
            self._lead(slot)
        if slot.error is not None:
            raise slot.error
        return cast(T, slot.result)

    def _lead(self, own: Slot) -> None:
        rounds = 0
        while True:
            # under concurrency, callers just woken by the last commit are about to queue again:
            # give them a moment (a single caller never waits here: its last batch held one)
            if self._last_batch > 1:
                for _ in range(2):
                    if len(self._queue) * 2 >= self._last_batch:
                        break
                    time.sleep(0)
            with self._queue_lock:
                if not self._queue:
                    self._leading = False
                    return
                if own.done and rounds >= _LEAD_ROUNDS:  # bound this caller's wait: hand the role over
                    successor = self._queue[0]
                    successor.lead = True
                    if successor.gate is not None:
                        successor.gate.release()
                    return
                batch, self._queue = self._queue, []
            self._last_batch = len(batch)
            with self._lock:
                self._run_batch(batch)
            for slot in batch:
                if slot.gate is not None:
                    slot.gate.release()
            rounds += 1

    def _run_batch(self, batch: list[Slot]) -> None:
        """Run a batch in one transaction; if an operation raises, roll back and run each alone."""
        try:
            if len(batch) == 1 or not self._run_in_one(batch, alone=False):
                for slot in batch:
                    self._run_in_one([slot], alone=True)
        finally:
            for slot in batch:
                slot.done = True
