"""Which requests may hold a lock together: shared/exclusive, named and ALL."""

import asyncio

import pytest

from pyganeti.locking import ALL, AllSet, Level, LockManager, LockTimeoutError

X = ["x"]
Y = ["y"]

Case = tuple[list[str] | AllSet, bool, list[str] | AllSet, bool, bool]

CASES: list[Case] = [
    # (first names, first shared, second names, second shared, compatible)
    (X, True, X, True, True),
    (X, True, X, False, False),
    (X, False, X, True, False),
    (X, False, X, False, False),
    (X, False, Y, False, True),
    (ALL, True, ALL, True, True),
    (ALL, True, ALL, False, False),
    (ALL, False, ALL, True, False),
    (ALL, False, ALL, False, False),
    (ALL, True, X, True, True),
    (ALL, True, X, False, False),
    (ALL, False, X, True, False),
    (ALL, False, X, False, False),
    (X, True, ALL, True, True),
    (X, False, ALL, True, False),
    (X, True, ALL, False, False),
    (X, False, ALL, False, False),
]


def _label(case: Case) -> str:
    a, a_sh, b, b_sh, _ = case

    def one(names: list[str] | AllSet, shared: bool) -> str:
        what = "ALL" if isinstance(names, AllSet) else ",".join(names)
        return f"{'S' if shared else 'X'}:{what}"

    return f"{one(a, a_sh)}-then-{one(b, b_sh)}"


@pytest.mark.parametrize("case", CASES, ids=[_label(c) for c in CASES])
def test_compatibility_matrix(case: Case) -> None:
    first, first_shared, second, second_shared, compatible = case

    async def main() -> None:
        lm = LockManager(pid_alive=lambda _pid: True)
        await lm.acquire("job:1", 100, Level.NODE, first, first_shared, None)
        before = lm.snapshot()
        if compatible:
            await lm.acquire("job:2", 200, Level.NODE, second, second_shared, 0)
            assert lm.owned("job:2")[Level.NODE]
        else:
            with pytest.raises(LockTimeoutError):
                await lm.acquire("job:2", 200, Level.NODE, second, second_shared, 0)
            assert lm.owned("job:2") == {}
            assert lm.snapshot() == before
            assert lm.owners() == ["job:1"]
        lm.check_invariants()

    asyncio.run(main())


def test_levels_are_independent() -> None:
    async def main() -> None:
        lm = LockManager(pid_alive=lambda _pid: True)
        await lm.acquire("job:1", 100, Level.NODE, ALL, False, None)
        # The same name at another level is another lock.
        await lm.acquire("job:2", 200, Level.NODE_RES, ALL, False, 0)
        await lm.acquire("job:3", 300, Level.INSTANCE, ["x"], False, 0)
        lm.check_invariants()

    asyncio.run(main())
