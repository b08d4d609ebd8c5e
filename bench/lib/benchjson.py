"""The facts every bench JSON carries for bench/results.py: bench, date, CPU, cores, load average and command.

    import benchjson                                   # with bench/lib on sys.path
    load_at_start = benchjson.load_average()
    ...
    result = benchjson.meta("local-stack-start", command, load_at_start)
    result.update(figures)
    benchjson.write(result, out)
"""
import datetime
import json
import os
import pathlib


def cpu_model():
    try:
        return next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
    except OSError:
        return "unknown"


def load_average():
    """The 1-minute load average (Linux): other work on the machine shares its cores with the bench."""
    try:
        return float(open("/proc/loadavg").read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def meta(bench, command, load_at_start):
    return {"bench": bench, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(), "cpu": cpu_model(),
            "cores": os.cpu_count(), "loadAverage": {"start": load_at_start, "end": load_average()}, "command": command}


def write(result, out):
    out = pathlib.Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
