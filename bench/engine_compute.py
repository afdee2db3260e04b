"""Mean time of engine.compute in CPython over the golden cases (tests/cases/*.json: the
worked example and the hand-computed scenarios).

    python3 bench/engine_compute.py [--repeat N]

Prints one line per scenario and the mean; a tool, not a test (it reads the case files
itself and imports no test module).
"""

import argparse
import json
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import compute  # noqa: E402

CASES = ROOT / "tests" / "cases"


def golden_scenarios():
    for path in sorted(CASES.glob("*.json")):
        yield path.name.removesuffix(".json"), json.loads(path.read_text("utf-8"))["scenario"]


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
