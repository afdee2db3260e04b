"""Mean time of engine.compute in CPython over the golden cases (the worked example and the
hand-computed scenarios of tests/test_golden.py).

    python3 bench/engine_compute.py [--repeat N]

Prints one line per scenario and the mean; a tool, not a test.
"""

import argparse
import json
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import test_golden  # noqa: E402  (needs pytest: install the test requirements first)
from engine import compute  # noqa: E402

GOLDEN = ("RURAL", "LARGE", "TINY", "COURIER", "REGIONAL")


def golden_scenarios():
    yield "city_mid", json.loads((ROOT / "tests/golden/city_mid.json").read_text("utf-8"))
    for name in GOLDEN:
        yield name.lower(), getattr(test_golden, name)


def measure(repeat):
    """{name: mean seconds per compute call}."""
    timings = {}
    for name, scenario in golden_scenarios():
        compute(scenario)  # warm the norm cache
        timings[name] = min(timeit.repeat(lambda: compute(scenario), number=repeat, repeat=5)) / repeat
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    timings = measure(parser.parse_args().repeat)
    for name, seconds in timings.items():
        print(f"{name:<24} {seconds * 1e3:8.3f} ms")
    print(f"{'mean':<24} {sum(timings.values()) / len(timings) * 1e3:8.3f} ms "
          f"over {len(timings)} golden cases (CPython {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
