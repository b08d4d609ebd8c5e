#!/usr/bin/env python3
"""Turns the summary.md of a soak.sh run into the JSON bench/results.py renders (bench "soak").

    bench/soak/soak-json.py RUN_DIR --out FILE --command "bench/soak/soak.sh ..." [--load-at-start L] [--passed yes|no]

The summary's facts (maximum rate, load, frames, load averages) and every series' first and last quarter and slope per
minute after the first quarter go into the JSON as SoakIT wrote them; --passed says whether the test's assertions held
(no frame lost or predicted twice, lag bounded, open file descriptors flat); when it did not, the first assertion
message in the run's maven.log goes into the JSON as "failure".
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchjson  # noqa: E402

FACT = re.compile(r"^- (?P<key>[^:]+): (?P<value>.*)$")
ROW = re.compile(r"^\| (?P<series>[^|(]+?)(?: \((?P<unit>[^)]*)\))? \| (?P<fqm>[-\d.]+) \| (?P<fqx>[-\d.]+) \| "
                 r"(?P<lqm>[-\d.]+) \| (?P<lqx>[-\d.]+) \| (?P<slope>[-+\d.]+) \|$")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("run_dir")
    parser.add_argument("--out", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--load-at-start", type=float)
    parser.add_argument("--passed", default="yes")
    args = parser.parse_args()
    facts, series = {}, []
    for line in open(os.path.join(args.run_dir, "summary.md")):
        line = line.rstrip("\n")
        fact, row = FACT.match(line), ROW.match(line)
        if fact:
            facts[fact["key"]] = fact["value"]
        elif row:
            series.append({"series": row["series"], "unit": row["unit"] or "",
                           "firstQuarterMedian": float(row["fqm"]), "firstQuarterMax": float(row["fqx"]),
                           "lastQuarterMedian": float(row["lqm"]), "lastQuarterMax": float(row["lqx"]),
                           "slopePerMinute": float(row["slope"])})
    if not series:
        sys.exit("soak-json: no series in " + os.path.join(args.run_dir, "summary.md"))
    failure = None
    log = os.path.join(args.run_dir, "maven.log")
    if args.passed != "yes" and os.path.exists(log):
        text = re.sub(r"\x1b\[[0-9;]*m", "", open(log, errors="replace").read())
        match = re.search(r"AssertionError:\s*(.*?)\n\s*at ", text, re.S)
        failure = " ".join(match[1].split()) if match else "see maven.log"
    result = benchjson.meta("soak", args.command, args.load_at_start)
    result.update({"passed": args.passed == "yes", "failure": failure, "facts": facts, "series": series})
    benchjson.write(result, args.out)
    print("JSON: %s" % args.out)


if __name__ == "__main__":
    main()
