"""Identity resolution in bulk: which customer each (kind, value) pair belongs to.

Imports resolve thousands of identities per chunk, so lookups are batched and cached for
the whole file. Customers an import is about to create get negative placeholder ids
until they are inserted; ``settle`` swaps in the real ids.
"""

from collections import defaultdict
from collections.abc import Iterable

from vinculo.customers.models import Customer, Identity

Pair = tuple[str, str]
LOOKUP_BATCH = 900  # under SQLite's historical limit of 999 bound parameters


class IdentityResolver:
    def __init__(self) -> None:
        self.owner: dict[Pair, int] = {}
        self._looked_up: set[Pair] = set()
        self._next_placeholder = -1

    def prefetch(self, pairs: Iterable[Pair]) -> None:
        wanted = set(pairs) - self._looked_up
        wanted.difference_update(self.owner.keys())
        self._looked_up |= wanted
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, value in wanted:
            by_kind[kind].append(value)
        for kind, values in by_kind.items():
            for start in range(0, len(values), LOOKUP_BATCH):
                batch = values[start : start + LOOKUP_BATCH]
                for value, customer_id in Identity.objects.filter(
                    kind=kind, value__in=batch
                ).values_list("value", "customer_id"):
                    self.owner[(kind, value)] = customer_id

    def owners(self, pairs: Iterable[Pair]) -> set[int]:
        found = set()
        for pair in pairs:
            owner = self.owner.get(pair)
            if owner is not None:
                found.add(owner)
        return found

    def placeholder(self) -> int:
        ref = self._next_placeholder
        self._next_placeholder -= 1
        return ref

    def settle(self, real_ids: dict[int, int]) -> None:
        """Replaces placeholders by the ids of the customers just inserted."""
        for pair, ref in self.owner.items():
            if ref < 0 and ref in real_ids:
                self.owner[pair] = real_ids[ref]


def live_customer_ids(ids: Iterable[int]) -> dict[int, int]:
    """Maps customer ids to live ids (a merged id to its survivor); unknown ids are absent."""
    wanted = sorted(set(ids))
    found: dict[int, int] = {}
    for start in range(0, len(wanted), LOOKUP_BATCH):
        for pk, merged_into in Customer.objects.filter(
            pk__in=wanted[start : start + LOOKUP_BATCH]
        ).values_list("pk", "merged_into_id"):
            found[pk] = merged_into or pk
    return found
