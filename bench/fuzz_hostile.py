"""The long fuzzing run: mutated real files through every layer, for minutes, every distinct crash listed.

    PYTHONPATH=. python bench/fuzz_hostile.py --seconds 300 --seed 1

The bounded CI version is tests/hostile/test_fuzz.py (hypothesis, a dozen
derandomized examples). Here a plain seeded random loop keeps going after a
crash, so one run reports every distinct one (grouped by exception type and
the innermost kconfig_ls frame), each with the seed of an example that
reproduces it (`--replay SEED`).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter

from tests.hostile.fuzz import FRAGMENTS, SAMPLES, Mutation, exercise, mutate


def example(seed: int) -> tuple[dict[str, bytes], list[float]]:
    generator = random.Random(seed)
    files = {}
    for relative, data in SAMPLES.items():
        mutations = []
        for _ in range(generator.randint(0, 8)):
            if generator.random() < 0.7:
                insert = generator.choice(FRAGMENTS) * generator.choice((1, 1, 1, 2, 50, 400))
            else:
                insert = bytes(generator.randrange(256) for _ in range(generator.randint(0, 8)))
            mutations.append(Mutation(generator.random(), generator.randint(0, 40), insert))
        files[relative] = mutate(data, mutations)
    return files, [generator.random() for _ in range(3)]


def signature(error: BaseException) -> str:
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if "kconfig_ls" in frame.filename]
    where = f"{frames[-1].filename.split('kconfig_ls/')[-1]}:{frames[-1].lineno}" if frames else "?"
    return f"{type(error).__name__} at {where}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replay", type=int, default=None, help="run one example and show its traceback")
    arguments = parser.parse_args()
    if arguments.replay is not None:
        files, offsets = example(arguments.replay)
        exercise(files, offsets)
        print("no error")
        return 0
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    crashes: Counter[str] = Counter()
    first_seed: dict[str, int] = {}
    started = time.perf_counter()
    count = 0
    durations = []
    seed = arguments.seed * 1_000_000
    while time.perf_counter() - started < arguments.seconds:
        files, offsets = example(seed)
        begin = time.perf_counter()
        try:
            exercise(files, offsets)
        except Exception as error:
            key = signature(error)
            crashes[key] += 1
            first_seed.setdefault(key, seed)
        durations.append(time.perf_counter() - begin)
        count += 1
        seed += 1
    durations.sort()
    print(
        f"{count} examples in {time.perf_counter() - started:.0f} s; per example median "
        f"{durations[len(durations) // 2] * 1000:.0f} ms, max {durations[-1] * 1000:.0f} ms"
    )
    if not crashes:
        print("no crash")
    for key, number in crashes.most_common():
        print(f"{number:5d}  {key}  (replay: --replay {first_seed[key]})")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
