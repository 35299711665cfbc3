"""Models of the current formula kept between edits (for `incremental_logic` and `incremental_pruning`).

Split from `incremental_pruning` (for its size). A question a kept model
satisfies holds without a query ("a yes stays yes while its model does");
the witness of each unmet select is kept too, per world, so that a finding
re-asked after an edit that left its witness a model is answered without
the solver. After an edit the models that break a new clause of a changed
symbol are dropped (`ModelStore.keep_valid`): the others are models of the
new formula, since nothing else changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import islice

from kconfig_ls.logic.select_analysis import EdgeKey
from kconfig_ls.logic.solver import Model
from kconfig_ls.logic.tristate_encoding import Encoding, _symbol_clauses
from kconfig_ls.semantics.symbols import SymbolTable

__all__ = ["ModelStore", "Packer", "StoredModel"]


class ModelStore:
    """Models of the current formula, by world, kept between edits (see the module docstring).

    A model is kept as one byte per variable the solver knew (1: true): the
    gates built after it are evaluated from their definitions when asked.
    At most `limit` models per world; the one that settled a question last
    is kept longest.
    """

    def __init__(self, encoding: Encoding, limit: int, witness_limit: int = 128) -> None:
        self._encoding = encoding
        self._limit = limit
        self._models: dict[str, list[bytes]] = {}
        self._summaries: dict[str, tuple[bytes, bytes]] = {}
        """world -> for each variable all its kept models know, whether one has it true, one false."""
        self._definitions: dict[int, tuple[int, ...]] = {}
        self._gates_read = 0
        self._witness_limit = witness_limit
        self._witnesses: dict[tuple[EdgeKey, str], bytes] = {}
        """(select, world) -> the model that showed the select unmet there (shared between selects)."""
        self._witness_uses: dict[int, int] = {}
        """id of a kept witness model -> how many places it is the witness of."""
        self._lower: tuple[tuple[int, int], dict[int, int]] | None = None
        self._serials: dict[int, int] = {}
        """id of a kept model (in some world's list) -> its serial (`add`)."""
        self._next_serial = 0
        self._kept: dict[str, tuple[frozenset[int], frozenset[int]]] = {}
        """world -> the identities and serials of its kept models, dropped when its list changes."""
        self.dropped: dict[int, bytes] = {}
        """serial -> a model the last `keep_valid` dropped (the update that dropped it empties this
        once its harvest is done): a phase hint for the harvest of the questions it showed
        (`incremental_pruning.harvest_anywhere`)."""

    def __len__(self) -> int:
        return sum(len(models) for models in self._models.values())

    def add(self, world: str, model: Model) -> int:
        """Keep the model at its world's front; returns its serial (`is_kept`)."""
        models = self._models.setdefault(world, [])
        data = bytes(map((0).__lt__, model.values))
        models.insert(0, data)
        self._serials[id(data)] = serial = self._next_serial
        self._next_serial += 1
        for gone in models[self._limit :]:
            del self._serials[id(gone)]
        del models[self._limit :]
        self._summaries.pop(world, None)
        self._kept.pop(world, None)
        return serial

    def front_serial(self, world: str) -> int:
        """The serial of the world's front model (the one `model_satisfying` just returned)."""
        return self._serials[id(self._models[world][0])]

    def is_kept(self, world: str, serial: int) -> bool:
        """Whether the model of that serial is still one of the world's kept models.

        Why: a kept model is a model of the current formula (`keep_valid`), so a
        question it was seen to satisfy still holds, with no literal evaluated
        (`incremental_liveness.LivenessQuestions` remembers which model showed each,
        by serial: holding the model itself would keep every model ever found alive).
        """
        return serial in self._kept_in(world)[1]

    def holds_data(self, data: bytes) -> bool:
        """Whether `data` is still kept, as a model of some world or as a witness (by identity)."""
        return id(data) in self._witness_uses or any(
            id(data) in self._kept_in(world)[0] for world in self._models
        )

    def _kept_in(self, world: str) -> tuple[frozenset[int], frozenset[int]]:
        """The identities and serials of the world's kept models, until its list changes."""
        kept = self._kept.get(world)
        if kept is None:
            models = self._models.get(world, ())
            kept = self._kept[world] = (
                frozenset(map(id, models)),
                frozenset(self._serials[id(data)] for data in models),
            )
        return kept

    def touch(self, world: str, used: Iterable[int]) -> None:
        """Move the models of the `used` serials to the world's front (as `model_satisfying` does
        for each model it finds), so that the models that answer questions are the ones kept."""
        models = self._models.get(world)
        wanted = set(used)
        if not models or not wanted:
            return
        serials = self._serials
        models[:] = [m for m in models if serials[id(m)] in wanted] + [
            m for m in models if serials[id(m)] not in wanted
        ]

    def holds(self, world: str, literal: int) -> bool:
        """Whether a kept model of the world satisfies the literal.

        A variable every kept model knows that none of them shows is told by
        the world's summary (one byte: some model has it true, some has it
        false), not model after model: after a `select` edit of mm/Kconfig
        on Linux x86 the ~8,300 liveness questions of the affected symbols
        read ~170,000 values one by one, most of them for the questions no
        kept model answers.
        """
        return self.model_satisfying(world, literal) is not None

    def model_satisfying(self, world: str, literal: int) -> bytes | None:
        """A kept model of the world that satisfies the literal (`holds`), moved to the front."""
        models = self._models.get(world)
        if not models:
            return None
        variable = literal if literal > 0 else -literal
        summary = self._summaries.get(world)
        if summary is None:
            summary = self._summaries[world] = _summary(models)
        if variable <= len(summary[0]) and summary[0 if literal > 0 else 1][variable - 1] != 1:
            return None
        # Found model by model: the one that shows it moves to the front, so that the models
        # that answer are the ones kept (reading the summary alone evicted them: 7 queries an
        # update became 14-18).
        for index, model in enumerate(models):
            if self._value(model, literal, {}) is True:
                if index:
                    models.insert(0, models.pop(index))
                return model
        return None

    def keep_valid(self, clauses_by_world: Mapping[str, Sequence[list[int]]]) -> list[tuple[str, bytes]]:
        """Drop the models (and witnesses) that break one of the new clauses of their world.

        Returns the dropped models, world by world, each world's most useful first (see
        `repair_models`)."""
        dropped: list[tuple[str, bytes]] = []
        self.dropped = {}
        for world, models in self._models.items():
            clauses = clauses_by_world.get(world)
            if not clauses:
                continue
            kept: list[bytes] = []
            for model in models:
                if self._satisfies_all(model, clauses):
                    kept.append(model)
                else:
                    dropped.append((world, model))
                    self.dropped[self._serials.pop(id(model))] = model
            models[:] = kept
            self._summaries.pop(world, None)
            self._kept.pop(world, None)
        verdicts: dict[int, bool] = {}
        for place, model in list(self._witnesses.items()):
            clauses = clauses_by_world.get(place[1])
            if not clauses:
                continue
            valid = verdicts.get(id(model))
            if valid is None:
                valid = verdicts[id(model)] = self._satisfies_all(model, clauses)
            if not valid:
                self._drop_witness(place)
        return dropped

    def _satisfies_all(self, model: bytes, clauses: Sequence[list[int]]) -> bool:
        memo: dict[int, bool | None] = {}
        return all(any(self._value(model, literal, memo) is True for literal in c) for c in clauses)

    def add_witness(
        self, key: EdgeKey, world: str, model: Model, packer: Packer, replace: bool = True
    ) -> None:
        """Keep `model` as the select's witness in `world` (`packer` packs each model once).

        Why: an edit re-asks every finding in its cone, and each needs a model
        per world (~40 ms a query); a kept witness that the edit did not
        break answers without the solver. At most `witness_limit` models
        are kept; the oldest places go first (`replace=False`: the new one is
        dropped instead).
        """
        if not packer.packed(model) and not replace and len(self._witness_uses) >= self._witness_limit:
            return  # a cold run keeps the first ones (packing every model costs ~5 ms each)
        self.add_witness_data(key, world, packer.pack(model))

    def add_witness_data(self, key: EdgeKey, world: str, data: bytes) -> None:
        """`add_witness` for a model already kept (`model_satisfying`'s), shared, not copied."""
        self._drop_witness((key, world))
        self._witnesses[(key, world)] = data
        self._witness_uses[id(data)] = self._witness_uses.get(id(data), 0) + 1
        while len(self._witness_uses) > self._witness_limit:
            self._drop_witness(next(iter(self._witnesses)))

    def _drop_witness(self, place: tuple[EdgeKey, str]) -> None:
        data = self._witnesses.pop(place, None)
        if data is not None:
            uses = self._witness_uses[id(data)] - 1
            if uses:
                self._witness_uses[id(data)] = uses
            else:
                del self._witness_uses[id(data)]

    def witness(self, key: EdgeKey, world: str, literal: int) -> StoredModel | None:
        """The kept witness of the select in `world`, if it satisfies `literal` (the select's question)."""
        model = self._witnesses.get((key, world))
        if model is None or self._value(model, literal, {}) is not True:
            return None
        return StoredModel(self, model)

    def new_clauses(
        self, names: Iterable[str], tables: Mapping[str, SymbolTable]
    ) -> dict[str, list[list[int]]]:
        """The clauses of the names' new semantics in each world (what a kept model must satisfy)."""
        encoding = self._encoding
        clauses: dict[str, list[list[int]]] = {}
        for name in names:
            value = encoding.symbol_pair(name)
            for world, table in tables.items():
                if name in table.symbols:
                    key = encoding.symbol_key(world, name)
                    clauses.setdefault(world, []).extend(_symbol_clauses(encoding, key, value))
        return clauses

    def lower_variables(self) -> dict[int, int]:
        """Each tristate's `at_least_y` variable -> its `at_least_m` (the clause y -> m holds for all).

        Kept while the encoding has the same symbol and free pairs (a name's pair never changes,
        the two maps only grow): built afresh, it was ~30 ms of each of the two local checks
        of every update on Linux x86 (`incremental_pruning.strengthened`, `violation_cases`).
        """
        encoding = self._encoding
        sizes = (len(encoding.symbol_variables), len(encoding._free_pairs))
        if self._lower is None or self._lower[0] != sizes:
            pairs = (*encoding.symbol_variables.values(), *encoding._free_pairs.values())
            self._lower = (sizes, {at_least_y: at_least_m for at_least_m, at_least_y in pairs})
        return self._lower[1]

    def _value(self, model: bytes, literal: int, memo: dict[int, bool | None]) -> bool | None:
        """The literal's value in the model; None when it is a variable the model cannot tell."""
        variable = literal if literal > 0 else -literal
        if variable <= len(model):
            value: bool | None = model[variable - 1] == 1
        elif variable in memo:
            value = memo[variable]
        else:
            definition = self._definition(variable)
            if definition is None:
                value = None
            else:
                value = True
                for operand in definition:
                    operand_value = self._value(model, operand, memo)
                    if operand_value is False:
                        value = False
                        break
                    if operand_value is None:
                        value = None
            memo[variable] = value
        if value is None:
            return None
        return value if literal > 0 else not value

    def _definition(self, variable: int) -> tuple[int, ...] | None:
        """The operands of the AND gate `variable` (every derived literal is one, or its negation)."""
        definition = self._definitions.get(variable)
        if definition is None:
            gates = self._encoding._gates
            if self._gates_read < len(gates):
                for operands, gate in islice(gates.items(), self._gates_read, None):
                    self._definitions[gate] = operands
                self._gates_read = len(gates)
                definition = self._definitions.get(variable)
        return definition


_NEGATED = bytes([1, 0]) + bytes(254)
"""A translation table of bytes 0 and 1 to 1 and 0."""


def _summary(models: Sequence[bytes]) -> tuple[bytes, bytes]:
    """For each variable the models all know (one byte each, 1: true): whether some model has it
    true, and whether some has it false (bitwise OR and AND of the models read as integers)."""
    length = min(len(model) for model in models)
    some_true = every_true = int.from_bytes(models[0][:length], "big")
    for model in models[1:]:
        value = int.from_bytes(model[:length], "big")
        some_true |= value
        every_true &= value
    return some_true.to_bytes(length, "big"), every_true.to_bytes(length, "big").translate(_NEGATED)


class Packer:
    """A model as `ModelStore` keeps it (one byte per variable), packed once for all the places it settles.

    Only the last model is remembered (by identity, holding it): the places a
    model settles are recorded one after the other.
    """

    def __init__(self) -> None:
        self._model: Model | None = None
        self._data = b""

    def packed(self, model: Model) -> bool:
        return model is self._model

    def pack(self, model: Model) -> bytes:
        if model is not self._model:
            self._model, self._data = model, bytes(map((0).__lt__, model.values))
        return self._data


class StoredModel:
    """A kept model read as a solver's (`literal in model`), for the witness of a finding."""

    __slots__ = ("_model", "_store")

    def __init__(self, store: ModelStore, model: bytes) -> None:
        self._store = store
        self._model = model

    @property
    def data(self) -> bytes:
        """The kept model itself (its identity tells a finding's witness unchanged)."""
        return self._model

    def __contains__(self, literal: object) -> bool:
        if not isinstance(literal, int):
            return False
        variable = literal if literal > 0 else -literal
        if variable <= len(self._model):
            # A variable the model knew (every symbol's): read it directly, as `Model` does.
            return (self._model[variable - 1] == 1) == (literal > 0)
        return self._store._value(self._model, literal, {}) is True
