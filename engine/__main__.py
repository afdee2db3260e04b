"""python -m engine scenario.json [--text] — compute a scenario file ('-' = stdin)."""

import argparse
import json
import sys

from . import ScenarioError, compute
from .report import text_report


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m engine", description=__doc__)
    parser.add_argument("scenario", help="scenario JSON file (SCENARIO.md), or - for stdin")
    parser.add_argument("--text", action="store_true", help="readable Russian report")
    args = parser.parse_args(argv)
    try:
        with (sys.stdin if args.scenario == "-" else open(args.scenario, encoding="utf-8")) as f:
            scenario = json.load(f)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        print(f"{args.scenario}: не удалось прочитать JSON: {e}", file=sys.stderr)
        return 2
    try:
        result = compute(scenario)
    except ScenarioError as e:
        for p in e.problems:
            print(f"{p['field'] or '(сценарий)'}: {p['message']}", file=sys.stderr)
        return 2
    if args.text:
        sys.stdout.write(text_report(result, scenario.get("name", "")))
    else:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
