#!/usr/bin/env python3
"""Turns the result.txt of a consumer-ab.sh run into the JSON bench/results.py renders (bench "edge-consumer-ab").

    bench/edge/ab-json.py RUN_DIR --command "bench/edge/consumer-ab.sh ..." [--claim TEXT] --out FILE

Each window of the run gives, per variant (its resident memory at the window's end and at its peak too, where the
run recorded them) (and the reference, benchmark_app or litert_runtime, when it ran): frames, CPU seconds, frames per second and
per CPU second, the busiest thread's and the other threads' microseconds per frame, and the variant's share of
the reference's frames per CPU second (shareOfBenchmarkApp, whichever the reference).
"""
import argparse
import datetime
import json
import os
import re
import statistics

LINE = re.compile(r"^(?P<name>\S+)\s+(?P<frames>\d+) frames,\s+(?P<cpu>[\d.]+) CPU s in (?P<seconds>[\d.]+) s:\s+(?P<fps>\d+) FPS,"
                  r"\s+(?P<per_cpu>\d+) frames per CPU second \(busiest thread\s+(?P<busiest>[\d.]+) us per frame, the others"
                  r"\s+(?P<others>[\d.]+)[^)]*\)(?:,\s+(?P<switches>\d+) context switches/s)?"
                  r"(?:, resident (?P<rss>\d+) MB \(peak (?P<peak>\d+) MB\))?(?:, (?P<share>[\d.]+) of (?P<reference>\w+)'s)?")
REFERENCES = ("benchmark_app", "litert_runtime")


def parse(path):
    windows, window = [], {}
    for line in open(path):
        match = LINE.match(line.strip())
        if not match:
            continue
        name = match["name"]
        if name in window:
            windows.append(window)
            window = {}
        window[name] = {"frames": int(match["frames"]), "cpuSeconds": float(match["cpu"]), "seconds": float(match["seconds"]),
                        "framesPerSecond": int(match["fps"]), "framesPerCpuSecond": int(match["per_cpu"]),
                        "busiestThreadMicrosPerFrame": float(match["busiest"]),
                        "otherThreadsMicrosPerFrame": float(match["others"]),
                        "shareOfBenchmarkApp": None if match["share"] is None else float(match["share"])}
        if match["rss"] is not None:
            window[name].update(residentMB=int(match["rss"]), peakResidentMB=int(match["peak"]))
        if name in REFERENCES:
            windows.append(window)
            window = {}
    if window:
        windows.append(window)
    return windows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("run_dir")
    parser.add_argument("--command", required=True)
    parser.add_argument("--claim", default="")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    windows = parse(os.path.join(args.run_dir, "result.txt"))
    if not windows:
        raise SystemExit("ab-json: no window in " + os.path.join(args.run_dir, "result.txt"))
    variants = [name for name in windows[0] if name not in REFERENCES]
    reference = next((name for name in windows[0] if name in REFERENCES), None)
    summary = {}
    for name in variants:
        shares = [w[name]["shareOfBenchmarkApp"] for w in windows if name in w and w[name]["shareOfBenchmarkApp"] is not None]
        per_cpu = [w[name]["framesPerCpuSecond"] for w in windows if name in w]
        peaks = [w[name]["peakResidentMB"] for w in windows if name in w and "peakResidentMB" in w[name]]
        summary[name] = {"windows": len(per_cpu), "peakResidentMB": max(peaks) if peaks else None, "shareMin": min(shares) if shares else None,
                         "shareMedian": statistics.median(shares) if shares else None,
                         "shareMax": max(shares) if shares else None,
                         "framesPerCpuSecondMedian": statistics.median(per_cpu)}
    if len(variants) == 2:
        a, b = variants
        ratios = [w[a]["framesPerCpuSecond"] / w[b]["framesPerCpuSecond"] for w in windows if a in w and b in w]
        summary["%s/%s" % (a, b)] = {"ratioMin": min(ratios), "ratioMedian": statistics.median(ratios), "ratioMax": max(ratios)}
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    result = {"bench": "edge-consumer-ab", "date": datetime.datetime.now(datetime.timezone.utc).isoformat(), "cpu": cpu,
              "cores": os.cpu_count(), "command": args.command, "claim": args.claim, "reference": reference, "variants": variants,
              "windows": windows, "summary": summary}
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
