#!/usr/bin/env python3
"""Turns the throughput.txt of a scale-throughput.sh run into the JSON bench/results.py renders (bench "scale-throughput").

    bench/scale/scale-json.py RUN_DIR/throughput.txt --out FILE --command "bench/scale/scale-throughput.sh ..." \
        [--load-at-start L]

scale-throughput.sh calls it when the test passed, that is when every frame was predicted exactly once by consumers
that all took part.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchjson  # noqa: E402

HEAD = re.compile(r"backlog of (\d+) frames .* on (\d+) brokers, (\d+) partitions; cores (.+?), load average ([\d.]+)")
PHASE = re.compile(r"(\d+) consumer\(s\): ([\d.]+) frames/s in ([\d.]+) s; the consumers used ([\d.]+) s of CPU "
                   r"\(([\d.]+) cores[^;]*; their idle polls[^)]*\); frames per device (\{[^}]*\}); "
                   r"partitions (\{[^}]*\}); load average ([\d.]+) at the end")
RATIO = re.compile(r"ratio 3 consumers / 1 consumer: ([\d.]+)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("text")
    parser.add_argument("--out", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--load-at-start", type=float)
    args = parser.parse_args()
    text = open(args.text).read()
    head = HEAD.search(text)
    if head is None or RATIO.search(text) is None:
        sys.exit("scale-json: no result in " + args.text)
    phases = [{"consumers": int(m[1]), "framesPerSecond": float(m[2]), "seconds": float(m[3]), "cpuSeconds": float(m[4]),
               "coresUsed": float(m[5]), "framesPerDevice": m[6], "partitions": m[7], "loadAverageAtEnd": float(m[8])}
              for m in PHASE.finditer(text)]
    result = benchjson.meta("scale-throughput", args.command, args.load_at_start)
    result.update({"frames": int(head[1]), "brokers": int(head[2]), "partitions": int(head[3]), "coresSeen": head[4],
                   "loadAverageAtTestStart": float(head[5]), "phases": phases,
                   "ratio": float(RATIO.search(text)[1]), "everyFramePredictedOnce": True})
    benchjson.write(result, args.out)
    print("JSON: %s" % args.out)


if __name__ == "__main__":
    main()
