#!/usr/bin/env python3
"""Writes bench/RESULTS.md from the curated JSON results in bench/results/.

A bench script writes its JSON under target/; the run that stands for a claim is copied into bench/results/ (one
file per claim, replaced when the claim is measured again), and this script renders every file there as rows of
bench/RESULTS.md: the claim, the current figure, the date, the CPU and the command. No figure is typed by hand.

    bench/results.py            # rewrite bench/RESULTS.md
    bench/results.py --check    # exit 1 when bench/RESULTS.md is not what the JSON gives
"""
import json
import pathlib
import statistics
import sys

BENCH = pathlib.Path(__file__).resolve().parent
RESULTS = BENCH / "results"
OUT = BENCH / "RESULTS.md"


def ki_to_mb(kib):
    """KiB (as /proc reports them) to MB of 10^6 bytes."""
    return kib * 1024 / 1e6


def analytics_throughput(r):
    a, b = r["analytics"], r["bareConsumer"]
    yield ("Analytics throughput: one instance, exactly-once, default views, against a bare consumer that only "
           "deserializes the same backlog (%d predictions, %d device types, %d devices)"
           % (r["predictions"], r["deviceTypes"], r["devices"]),
           "**%s predictions/s**, %.3f of the bare consumer's %s/s; %s predictions per CPU second; every device "
           "type's frames equal what was written: %s"
           % (f"{a['predictionsPerSecond']:,.0f}", r["ratio"], f"{b['predictionsPerSecond']:,.0f}",
              f"{a['predictionsPerCpuSecond']:,.0f}", a["framesMatchWritten"]["all"]))
    yield ("Analytics resident memory while draining that backlog (%s; config: %s)" % (a["jvmFlags"], a["config"]),
           "**%.0f MB peak**, %.0f MB median (VmRSS sampled every 200 ms)"
           % (ki_to_mb(a["rssKiBPeak"]), ki_to_mb(a["rssKiBMedian"])))


def analytics_fleet(r):
    lag = r["lag"]
    inst = r["perInstance"]
    totals = all(i["totals"]["allEqual"] for i in inst)
    lat = r["queryLatencies"]
    stack = "%d broker%s, %d instance%s" % (r["brokers"], "s" if r["brokers"] > 1 else "", r["instances"],
                                            "s" if r["instances"] > 1 else "")
    yield ("Fleet: %d simulated devices of %d types at %s predictions/s in all, %d s, %s"
           % (r["devices"], r["deviceTypes"], f"{r['plannedPredictionsPerSecond']:,.0f}",
              round(r["samples"][-1]["seconds"]) if r["samples"] else 0, stack),
           "lag max **%s**, last quarter max %s (mean %s) predictions; caught up %.1f s after the fleet stopped; "
           "every instance's totals equal what was written: %s; %s predictions/s per instance, %s per analytics CPU "
           "second; cores used %s; resident memory median %s MB, max %s MB"
           % (f"{lag['max']:,}", f"{lag['lastQuarterMax']:,}", f"{lag['lastQuarterMean']:,.0f}",
              r["catchUpSecondsAfterFleetStopped"], totals, f"{r['predictionsPerSecondPerInstance']:,.0f}",
              f"{r['predictionsPerAnalyticsCpuSecond']:,.0f}",
              ", ".join("%.2f" % i["coresUsed"] for i in inst),
              ", ".join("%.0f" % ki_to_mb(i["rssKiBMedian"]) for i in inst),
              ", ".join("%.0f" % ki_to_mb(i["rssKiBMax"]) for i in inst)))
    yield ("Query latency while that fleet writes (%s)" % stack,
           "; ".join("`%s` p50 %.1f ms, **p99 %.1f ms**, max %.1f ms (%d requests)"
                     % (route, v["p50Millis"], v["p99Millis"], v["maxMillis"], v["requests"]) for route, v in lat.items()))


def analytics_slice_sizes(r):
    sizes = r["bytesBySlicePredictions"]
    yield ("Stored bytes of one statistics slice by the predictions in it (sizing, docs/analytics-scaling.md)",
           ", ".join("%s: %s B" % (f"{int(n):,}", f"{b:,}") for n, b in sizes.items()))
    # The default views and partitions (analytics/README.md): a device at 10 predictions/s over P = 3 partitions puts
    # 10 x 10 / 3 = 33 predictions in a slice of the short view (10 s slices, 2 h: 720) and 10 x 60 / 3 = 200 in one of
    # the long view (1 min slices, 1 d: 1,440).
    if "33" in sizes and "200" in sizes:
        short, long_ = 720 * 3 * sizes["33"], 1440 * 3 * sizes["200"]
        yield ("State of one device at 10 predictions/s over the default views' whole retention, P = 3 partitions: short "
               "view 720 slices of 10 s (33 predictions per partition each), long view 1,440 slices of 1 min (200 each) "
               "(sizing, docs/analytics-scaling.md)",
               "short view 720 x 3 x %s B = **%.2f MB**, long view 1,440 x 3 x %s B = **%.1f MB**; 1,000 such devices "
               "**%.1f GB**" % (f"{sizes['33']:,}", short / 1e6, f"{sizes['200']:,}", long_ / 1e6, 1000 * (short + long_) / 1e9))
    if "frameVoteKeyAndValueBytes" in r:
        votes = r["frameVoteKeyAndValueBytes"]
        yield ("Frame votes of the agreement join: the stored key and value of one frame's votes from %d device types, "
               "kept for the join window (5 min) (sizing, docs/analytics-scaling.md)" % r["frameVoteDeviceTypes"],
               "**%d B** per frame; %.0f MB at 2,000 frames/s over the window, before RocksDB's own overhead and the "
               "tombstones of purged frames" % (votes, votes * 2000 * 300 / 1e6))


def edge_big_frames_memory(r):
    small, big = r["smallFramesOnly"], r["withBigFrames"]
    yield ("Edge consumer resident memory through %d frames of megabytes (up to the frames topic's 16 MiB; %.0f MB in "
           "all) among %d small ones, against %d small frames alone, in one run (%s; %s)"
           % (big["big_frames"], big["big_bytes"] / 1e6, big["good_frames"], small["good_frames"], big["jvm_options"],
              big["environment"]),
           "**VmHWM %.0f MB**, at most %.0f MB sampled every 100 ms, %.0f MB 20 s after the last frame (budget %.0f MB); "
           "small frames alone: VmHWM %.0f MB, %.0f MB after"
           % (big["vm_hwm_bytes"] / 1e6, big["rss_max_sampled_bytes"] / 1e6, big["rss_after_bytes"] / 1e6,
              big["budget_bytes"] / 1e6, small["vm_hwm_bytes"] / 1e6, small["rss_after_bytes"] / 1e6))


def ms(value):
    return "n/a" if value is None else ("%.0f" % value if value >= 100 else "%.1f" % value)


def edge_latency_vs_load(r):
    sweep = r["sweep"]
    types = list(dict.fromkeys(t for p in sweep["points"] for t in p["deviceTypes"]))
    met = lambda v: {True: "met", False: "**not met**", None: "n/a"}[v]
    targets = r["targetsAt20"]
    if targets:
        yield ("Latency at 20 frames/s (Poisson arrivals), exactly-once, per device type: end to end (frame append to "
               "prediction append) against the inference time of the frame's batch, and receipt by a `read_committed` "
               "subscriber; targets p50 <= inference p50 + 3 ms, p99 <= inference p99 + 10 ms, receipt p50 <= 20 ms",
               "; ".join("`%s` p50 **%s** ms (inference %s: %s), p99 **%s** ms (inference %s: %s), receipt p50 **%s** ms "
                         "(%s); p50 fetch %s, on device %s, write %s ms"
                         % (t, ms(v["endToEndP50"]), ms(v["inferenceP50"]), met(v["endToEndP50Met"]), ms(v["endToEndP99"]),
                            ms(v["inferenceP99"]), met(v["endToEndP99Met"]), ms(v["receiptP50"]), met(v["receiptP50Met"]),
                            ms(v["fetchP50"]), ms(v["onDeviceP50"]), ms(v["writeP50"]))
                         for t, v in targets.items())
               + "; one Kafka hop on this machine (frame append to a bare reader's receipt) p50 %s ms"
               % ms(next(iter(targets.values()))["kafkaHopP50"]))
    yield ("Latency against offered load (%s arrivals; max: as fast as the producer goes), exactly-once, per device "
           "type: predicted/s, end-to-end p50/p99 ms at each load; the knee is the highest load sustained (95%%) with p99 "
           "within %s ms" % (sweep["arrivals"], ms(sweep["boundMillis"])),
           "; ".join("`%s` %s, knee **%s**" % (t, ", ".join(
               "%s: %s/s %s/%s" % (p["load"], "-" if p["deviceTypes"][t]["framesPerSecond"] is None
                                   else "%.0f" % p["deviceTypes"][t]["framesPerSecond"],
                                   ms(p["deviceTypes"][t]["endToEndP50"]), ms(p["deviceTypes"][t]["endToEndP99"]))
               for p in sweep["points"] if t in p["deviceTypes"]),
               "none" if sweep["knees"].get(t) is None else "%s frames/s" % sweep["knees"][t]) for t in types))


def edge_consumer_ab(r):
    s = r["summary"]
    reference = r.get("reference") or "benchmark_app"
    parts = []
    for name in r["variants"]:
        v = s[name]
        share = "" if v["shareMedian"] is None else ", **%.3f** of `%s`'s (median; %.3f-%.3f)" % (
            v["shareMedian"], reference, v["shareMin"], v["shareMax"])
        memory = "" if v.get("peakResidentMB") is None else ", resident at most %d MB" % v["peakResidentMB"]
        parts.append("`%s` %s frames per CPU second%s%s" % (name, f"{v['framesPerCpuSecondMedian']:,.0f}", share, memory))
    for key, v in s.items():
        if "/" in key:
            parts.append("`%s` **%.3f** (%.3f-%.3f)" % (key, v["ratioMedian"], v["ratioMin"], v["ratioMax"]))
    bench = [w[reference] for w in r["windows"] if reference in w]
    if bench:
        parts.append("`%s`'s inference %.1f us per frame, the consumers' %s" % (
            reference, statistics.median(w["busiestThreadMicrosPerFrame"] for w in bench),
            ", ".join("%.1f plus %.1f on other threads" % (
                statistics.median(w[n]["busiestThreadMicrosPerFrame"] for w in r["windows"] if n in w),
                statistics.median(w[n]["otherThreadsMicrosPerFrame"] for w in r["windows"] if n in w)) for n in r["variants"])))
    yield (r["claim"] + " (%d windows)" % len(r["windows"]), "; ".join(parts))


def edge_prediction_encoding(r):
    yield ("Writing one prediction (%.0f bytes on average, top 5 of 10 classes): Avro's serializer against the edge "
           "consumer's `DeviceRecordSerializer` (device fields and class names encoded once), the same bytes, in "
           "alternating rounds of %s predictions in one run" % (r["bytesPerPrediction"], f"{r['predictionsPerRound']:,}"),
           "**%.1fx** faster: %.0f against %.0f ns per prediction (best round of the second half of %d each)"
           % (r["ratio"], r["deviceRecordSerializerNanosPerPrediction"], r["avroSerializerNanosPerPrediction"], r["rounds"]))


def local_stack_start(r):
    runs = r["runs"]
    part = lambda key: "n/a" if any(x[key] is None for x in runs) else "%.1f" % statistics.median(x[key] for x in runs)
    yield ("Local stack start (`local/bin/local-stack`: broker, topics and schema registry ready), %d starts one after "
           "another" % len(runs),
           "median **%.1f s**, max %.1f s (the `Local stack ready in X s` it prints); from the command to that line "
           "median %.1f s, max %.1f s; ready after: Kafka %s s, topics %s s, registry %s s (medians; the registry starts "
           "beside Kafka)"
           % (r["readySeconds"]["median"], r["readySeconds"]["max"], r["wallSecondsToReadyLine"]["median"],
              r["wallSecondsToReadyLine"]["max"], part("kafkaSeconds"), part("topicsSeconds"), part("registrySeconds")))


def producer_throughput(r):
    rounds = r["rounds"]
    yield ("Frame producer (`cifar10:train`, unpaced) against Kafka's `ProducerPerformance` (kafka-tools %s) on the local "
           "broker: %d-byte records, `acks=all`, `batch.size` %d, `linger.ms` %d, compression %s, %s records per run, "
           "the two taking turns for %d rounds in one run (%s)"
           % (r["kafkaTools"], r["recordBytes"], r["batchSize"], r["lingerMs"], r["compression"], f"{r['records']:,}",
              len(rounds), r["jvmFlags"]),
           "ratio app / `ProducerPerformance` **%.2f** (median of the rounds; %.2f-%.2f; target at least %.2f); per round "
           "%s" % (r["ratioMedian"], r["ratioMin"], r["ratioMax"], r["target"], ", ".join(
               "%s vs %s records/s" % (f"{x['appFramesPerSecond']:,.0f}", f"{x['producerPerformanceRecordsPerSecond']:,.0f}")
               for x in rounds)))


def demo_run(r):
    types = r["deviceTypes"]
    run = "`bin/demo`, %s frames%s, %d device types: %s" % (
        f"{r['framesSent']:,}", " at %g/s" % r["fps"] if "fps" in r else "", len(types),
        ", ".join(d["deviceType"] for d in types))
    first = r["timeToFirstPredictionMillis"]
    yield ("Demo: time from the command to the first prediction (%s)" % run,
           "**%s**" % ("none" if first is None else "%.1f s" % (first / 1000)))
    memory = r["memoryBytes"]
    yield ("Demo: resident memory of everything it runs at the end of the stream (%s)" % run,
           "**%s MB** in all: %s" % (f"{sum(memory.values()) / 1e6:,.0f}",
                                      ", ".join("%s %.0f MB" % (name, b / 1e6) for name, b in memory.items())))


def scale_throughput(r):
    phases = {p["consumers"]: p for p in r["phases"]}
    one, three = phases[1], phases[3]
    yield ("Edge consumers of one group (OpenVINO INT8, exactly-once) draining the same backlog of %s frames, "
           "published in one transaction, on %d brokers with %d partitions: 3 consumers against 1, all on this "
           "machine's cores" % (f"{r['frames']:,}", r["brokers"], r["partitions"]),
           "ratio **%.2f**: 1 consumer %s frames/s (%.2f cores used), 3 consumers %s frames/s (%.2f cores used); every "
           "frame predicted exactly once, by every consumer: %s"
           % (r["ratio"], f"{one['framesPerSecond']:,.0f}", one["coresUsed"], f"{three['framesPerSecond']:,.0f}",
              three["coresUsed"], r["everyFramePredictedOnce"]))


def producer_fleet_rate(r):
    runs = r["runs"]
    yield ("Fleet simulator (`producer/bin/simulate-fleet`, %d devices of %d types, %s at each planned rate in turn) "
           "against the local broker on the same machine" % (runs[0]["devices"], r["deviceTypes"], r["duration"]),
           "; ".join("%s/s planned: **%s/s** achieved, lag behind plan p99 %s, max %s, %d send errors"
                     % (f"{x['plannedPredictionRate']:,.0f}", f"{x['achievedPredictionRate']:,.0f}",
                        millis_or_seconds(x["lagP99Millis"]), millis_or_seconds(x["lagMaxMillis"]), x["sendErrors"])
                     for x in runs))


def millis_or_seconds(value):
    return "%.2f s" % (value / 1000) if value >= 1000 else "%.0f ms" % value


def soak(r):
    facts = r["facts"]
    fact = lambda prefix: next((v for k, v in facts.items() if k.startswith(prefix)), "?")
    series = {s["series"]: s for s in r["series"]}
    lag = series.get("consumer lag")
    yield ("Soak: one edge consumer (OpenVINO INT8, exactly-once) and the analytics app on the local stack at %s; "
           "maximum rate measured just before in the same run: %s" % (fact("load"), fact("maximum rate")),
           "the test (no frame lost or predicted twice, lag bounded, open descriptors flat) %s; frames predicted: %s; lag "
           "max **%.0f** frames, last quarter max %.0f; first against last quarter median, and slope per minute after "
           "the first quarter: %s"
           % ("**passed**" if r["passed"] else "**failed**: %s" % r.get("failure"), fact("frames predicted"),
              max(lag["firstQuarterMax"], lag["lastQuarterMax"]) if lag else float("nan"),
              lag["lastQuarterMax"] if lag else float("nan"),
              "; ".join("%s %.1f -> %.1f%s (%+.2f/min)" % (s["series"], s["firstQuarterMedian"], s["lastQuarterMedian"],
                                                          " " + s["unit"] if s["unit"] else "", s["slopePerMinute"])
                        for s in r["series"] if s["series"] != "consumer lag")))


RENDERERS = {
    "edge-consumer-ab": edge_consumer_ab,
    "edge-latency-vs-load": edge_latency_vs_load,
    "edge-big-frames-memory": edge_big_frames_memory,
    "analytics-throughput": analytics_throughput,
    "analytics-fleet": analytics_fleet,
    "analytics-slice-sizes": analytics_slice_sizes,
    "edge-prediction-encoding": edge_prediction_encoding,
    "local-stack-start": local_stack_start,
    "producer-throughput": producer_throughput,
    "demo-run": demo_run,
    "scale-throughput": scale_throughput,
    "producer-fleet-rate": producer_fleet_rate,
    "soak": soak,
}


def machine(result):
    """The CPU column: model, cores and, where the bench recorded it, the 1-minute load average at start and end."""
    text = "%s, %s cores" % (result["cpu"], result.get("cores", "?"))
    load = result.get("loadAverage")
    if load:
        text += ", load average %s to %s" % (load.get("start"), load.get("end"))
    return text


def render():
    rows = []
    for path in sorted(RESULTS.glob("*.json")):
        result = json.loads(path.read_text())
        renderer = RENDERERS.get(result.get("bench"))
        if renderer is None:
            sys.exit("%s: no renderer for bench '%s'" % (path, result.get("bench")))
        for claim, figure in renderer(result):
            # A table cell ends at a bare '|', even inside code (variants of consumer-ab.sh are written with them).
            cell = lambda text: str(text).replace("|", "\\|")
            rows.append("| %s | %s | %s | %s | `%s` ([json](results/%s)) |"
                        % (cell(claim), cell(figure), result["date"][:10], cell(machine(result)),
                           cell(result["command"]), path.name))
    return "\n".join([
        "# Measured results",
        "",
        "Generated by `bench/results.py` from the JSON files in `bench/results/`, each the output of the command in",
        "its row; do not edit by hand. A claim is measured again by running its command and copying the JSON it",
        "writes (under `target/`) over the file in `bench/results/`. Benches compare side by side in one run where",
        "they state a ratio. The machine is the project's 2-core build machine unless the CPU column says otherwise;",
        "it is shared with other work, and where a bench records the 1-minute load average the CPU column gives it.",
        "",
        "| claim | figure | date | CPU | command |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ])


def main():
    text = render()
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            sys.exit("bench/RESULTS.md is not what bench/results/*.json give; run bench/results.py")
        return
    OUT.write_text(text)


if __name__ == "__main__":
    main()
