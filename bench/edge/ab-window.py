#!/usr/bin/env python3
"""The measured window of consumer-ab.sh: frames per CPU second of each consumer variant, and of benchmark_app.

Every process is sampled at the same two moments, so all see the same phases of a machine whose speed drifts. With
--benchmark-app, OpenVINO's benchmark_app runs on the same CPUs through the window, on the consumers' IR at their
batch and inference precision (PRECISION, empty for the device's default), and the window is its measured span (from
its first inference to its statistics). Its frames per CPU second beside a consumer's is the consumer's throughput
against benchmark_app's as each would run alone on those CPUs, provided both keep the CPUs busy when alone (the
consumer does: edge-throughput.sh reports its CPU use).

With --alternate-seconds T the processes take turns through the window instead of sharing the CPUs: each runs alone for
T seconds while the others are stopped (SIGSTOP, SIGCONT), as each would run on a device, and a turn is short enough
that all of them still see the same phases of the machine. Each is then measured running alone rather than in slices
between the other process's threads.

With --litert-runtime, the reference is LiteRT's own runtime instead (bench/edge/litert-runtime.py: the pinned
wheel's Interpreter on the consumers' .tflite, one image per run, THREADS XNNPACK threads), measured the same way.

With --scheduling batch, the reference runs under Linux's SCHED_BATCH policy (chrt --batch 0), as consumer-ab.sh then
runs the consumers.

    ab-window.py --window-seconds S --out DIR [--benchmark-app 'IR|CPUS|BATCH|PRECISION' | --litert-runtime
                 'MODEL|CPUS|THREADS'] [--alternate-seconds T] [--scheduling other|batch] NAME:PID:METRICS_PORT ...
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

HZ = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User and system CPU of a process, or of a thread given as PID/task/TID (fields 14 and 15 of its stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def thread_cpu_seconds(pid):
    """CPU seconds of each of the process's threads, by thread id and name."""
    threads = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as comm:
                threads[(task, comm.read().strip())] = cpu_seconds(f"{pid}/task/{task}")
        except FileNotFoundError:
            pass  # the thread ended between the listing and the read
    return threads


def busiest_thread(before, after, frames, process_cpu):
    """The busiest thread's CPU per frame and that of all the others, in microseconds; then the others one by one, and
    the CPU of threads that ended between the two samples: the process's count (process_cpu) holds it, the threads'
    own counts are gone with them."""
    used = sorted(((after[t] - before.get(t, 0), t[1]) for t in after), reverse=True)
    others = ", ".join(f"{name} {1e6 * cpu / frames:.1f}" for cpu, name in used[1:9] if cpu > 0)
    ended = process_cpu - sum(cpu for cpu, _ in used)
    if ended > 0.01 * process_cpu:
        others += f"; threads that ended in the window {1e6 * ended / frames:.1f}"
    return 1e6 * used[0][0] / frames, 1e6 * sum(cpu for cpu, _ in used[1:]) / frames, others


def context_switches(pid):
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as status:
                total += sum(int(line.split()[1]) for line in status if "ctxt_switches" in line)
        except FileNotFoundError:
            pass  # the thread ended between the listing and the read
    return total


def resident_mb(pid):
    """The process's resident memory now and at its peak (VmRSS, VmHWM), in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def predicted(port):
    with urllib.request.urlopen(f"http://localhost:{port}/metrics", timeout=10) as response:
        lines = response.read().decode().splitlines()
    return sum(float(line.split()[-1]) for line in lines if line.startswith("edge_frames_predicted_total"))


class Variant:
    def __init__(self, spec):
        self.name, pid, port = spec.rsplit(":", 2)
        self.pid, self.port = int(pid), int(port)
        self.samples = []

    def sample(self):
        if not os.path.exists(f"/proc/{self.pid}"):
            sys.exit(f"consumer-ab: variant {self.name} stopped; see its log")
        self.samples.append((cpu_seconds(self.pid), context_switches(self.pid), predicted(self.port), time.time(),
                             thread_cpu_seconds(self.pid)))

    def report(self):
        (c0, s0, f0, w0, t0), (c1, s1, f1, w1, t1) = self.samples
        frames, cpu, wall = f1 - f0, c1 - c0, w1 - w0
        if frames <= 0:
            sys.exit(f"consumer-ab: variant {self.name} predicted no frame in the window: it may have read every "
                     f"pre-loaded frame before the window ended (give more --frames); see its log")
        busiest, others, threads = busiest_thread(t0, t1, frames, cpu)
        rss, peak = resident_mb(self.pid)
        return frames / cpu, (f"{self.name:14s} {frames:8.0f} frames, {cpu:5.1f} CPU s in {wall:4.1f} s: "
                              f"{frames / wall:6.0f} FPS, {frames / cpu:6.0f} frames per CPU second (busiest thread "
                              f"{busiest:5.1f} us per frame, the others {others:5.1f}: {threads}), "
                              f"{(s1 - s0) / wall:5.0f} context switches/s, resident {rss:.0f} MB (peak {peak:.0f} MB)")


class Turns(threading.Thread):
    """Runs one process at a time, each for a turn of the given seconds in order, until stopped; then all go on."""

    def __init__(self, pids, seconds):
        super().__init__(daemon=True)
        self.pids, self.seconds = pids, seconds
        self.turns = 0
        self.done = threading.Event()

    def run(self):
        try:
            while not self.done.is_set():
                running = self.pids[self.turns % len(self.pids)]
                # Stopped before the next one goes on, so that two never share the CPUs.
                for pid in self.pids:
                    if pid != running:
                        os.kill(pid, signal.SIGSTOP)
                os.kill(running, signal.SIGCONT)
                self.turns += 1
                self.done.wait(self.seconds)
        finally:
            for pid in self.pids:
                try:
                    os.kill(pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass  # it ended during the turns; sampling it reports that, and the others must still go on

    def stop(self):
        """Ends the turns and returns once every process runs again."""
        self.done.set()
        self.join()


def start_turns(pids, seconds):
    if not seconds:
        return None
    turns = Turns(pids, seconds)
    turns.start()
    return turns


def stop_turns(turns):
    if turns:
        turns.stop()
        print(f"{turns.turns} turns of {turns.seconds:g} s, one process at a time on the CPUs", flush=True)


def benchmark_app_command(spec, window):
    """OpenVINO's benchmark_app on the consumers' IR, and the CPUs it runs on."""
    ir, cpus, batch, precision = spec.split("|")
    command = [".venv/bin/benchmark_app", "-m", ir, "-d", "CPU", "-hint", "throughput", "-t", str(window),
               "-shape", f"[{batch},32,32,3]", "-ip", "u8"]
    if precision:
        command += ["-infer_precision", precision]
    return cpus, command


def litert_runtime_command(spec, window):
    """LiteRT's Interpreter on the consumers' .tflite, and the CPUs it runs on."""
    model, cpus, threads = spec.split("|")
    return cpus, [".venv/bin/python", "bench/edge/litert-runtime.py", model, threads, str(window)]


def run_reference(name, cpus, command, out, variants, alternate, scheduling):
    """Runs the reference, sampling the variants at its first inference and when it has measured; its report."""
    policy = ["chrt", "--batch", "0"] if scheduling == "batch" else []
    command = ["taskset", "-c", cpus] + policy + command
    log_path = os.path.join(out, name + ".log")
    with open(log_path, "w") as log, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                                      text=True, env=dict(os.environ, PYTHONUNBUFFERED="1")) as app:
        marks, lines, turns = [], [], None
        try:
            for line in app.stdout:
                log.write(line)
                lines.append(line)
                if "First inference took" in line or "Dumping statistics report" in line:
                    # The consumers answer their metrics endpoint only while they run.
                    stop_turns(turns)
                    turns = None
                    marks.append((cpu_seconds(app.pid), thread_cpu_seconds(app.pid)))
                    for variant in variants:
                        variant.sample()
                    if len(marks) == 1:
                        turns = start_turns([app.pid] + [variant.pid for variant in variants], alternate)
        except BaseException:
            app.kill()  # interrupted: the reference must not go on running on the consumers' CPUs
            raise
        finally:
            stop_turns(turns)
        if app.wait() != 0 or len(marks) != 2:
            sys.exit(f"consumer-ab: {name} failed or was not measured; see {log_path}")
    text = "".join(lines)
    fps = float(re.search(r"Throughput:\s+([\d.]+) FPS", text).group(1))
    duration = float(re.search(r"Duration:\s+([\d.]+) ms", text).group(1)) / 1000
    frames = fps * duration
    (cpu0, threads0), (cpu1, threads1) = marks
    # The process's count, not the sum of its threads': its inference thread may end before the statistics are printed.
    cpu = cpu1 - cpu0
    busiest, others, threads = busiest_thread(threads0, threads1, frames, cpu)
    return frames / cpu, (f"{name:14s} {frames:8.0f} frames, {cpu:5.1f} CPU s in {duration:4.1f} s: "
                          f"{fps:6.0f} FPS, {frames / cpu:6.0f} frames per CPU second (busiest thread {busiest:5.1f} us"
                          f" per frame, the others {others:5.1f}: {threads})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--window-seconds", type=int, required=True)
    parser.add_argument("--out", required=True)
    reference_kind = parser.add_mutually_exclusive_group()
    reference_kind.add_argument("--benchmark-app")
    reference_kind.add_argument("--litert-runtime")
    parser.add_argument("--alternate-seconds", type=float, default=0)
    parser.add_argument("--scheduling", choices=["other", "batch"], default="other")
    parser.add_argument("variants", nargs="+")
    args = parser.parse_args()
    # Stopped (consumer-ab.sh interrupted), the finally blocks still run: no process is left stopped in a turn.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"consumer-ab: window stopped by signal {signum}"))
    variants = [Variant(spec) for spec in args.variants]
    reference, name = None, None
    if args.benchmark_app or args.litert_runtime:
        name = "benchmark_app" if args.benchmark_app else "litert_runtime"
        cpus, command = (benchmark_app_command(args.benchmark_app, args.window_seconds) if args.benchmark_app
                         else litert_runtime_command(args.litert_runtime, args.window_seconds))
        reference = run_reference(name, cpus, command, args.out, variants, args.alternate_seconds, args.scheduling)
    else:
        for variant in variants:
            variant.sample()
        turns = start_turns([variant.pid for variant in variants], args.alternate_seconds)
        try:
            time.sleep(args.window_seconds)
        finally:
            stop_turns(turns)
        for variant in variants:
            variant.sample()
    lines = []
    for variant in variants:
        per_cpu_second, line = variant.report()
        if reference:
            line += f", {per_cpu_second / reference[0]:.3f} of {name}'s"
        lines.append(line)
    if reference:
        lines.append(reference[1])
    print("\n".join(lines))
    with open(os.path.join(args.out, "result.txt"), "a") as result:
        result.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
