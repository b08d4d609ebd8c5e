"""Train the CIFAR-10 ResNet-9 (quarter width) on CPU.

Reads the binary batches from CIFAR10_DIR. Augmentation: random 32x32 crop of
the image padded by 4 pixels (reflection), random horizontal flip. Optimizer:
SGD with Nesterov momentum 0.9, weight decay 5e-4, label smoothing 0.1,
one-cycle learning rate (linear up to the peak at 20% of the steps, linear down
to zero). Seeds are fixed. Writes a checkpoint and a JSON summary.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cifar_data  # noqa: E402
import net  # noqa: E402


def git_commit() -> str:
    here = Path(__file__).resolve().parent
    try:
        sha = subprocess.check_output(["git", "rev-parse", "HEAD"], cwd=here, text=True).strip()
        dirty = subprocess.check_output(["git", "status", "--porcelain", "--", "."], cwd=here, text=True)
        dirty = [l for l in dirty.splitlines() if l.endswith(".py") or l.endswith(".sh") or l.endswith(".txt")]
        return sha + ("-dirty" if dirty else "")
    except Exception:
        return "unknown"


def cpu_description() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


class Augmenter:
    def __init__(self, images: np.ndarray, pad: int, rng: np.random.Generator):
        self.padded = np.pad(images, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="reflect")
        self.pad = pad
        self.rng = rng
        self.ar = np.arange(32)

    def batch(self, idx: np.ndarray) -> np.ndarray:
        n = idx.shape[0]
        oy = self.rng.integers(0, 2 * self.pad + 1, n)
        ox = self.rng.integers(0, 2 * self.pad + 1, n)
        rows = (oy[:, None] + self.ar)[:, :, None]
        cols = (ox[:, None] + self.ar)[:, None, :]
        flip = self.rng.random(n) < 0.5
        cols = np.where(flip[:, None, None], cols[:, :, ::-1], cols)
        return self.padded[idx[:, None, None], rows, cols]


def evaluate(model: nn.Module, x: np.ndarray, y: np.ndarray, bs: int = 1000, amp: bool = False) -> float:
    model.eval()
    correct = 0
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=amp):
        for i in range(0, len(x), bs):
            out = model(torch.from_numpy(x[i:i + bs]))
            correct += (out.float().argmax(1).numpy() == y[i:i + bs]).sum()
    model.train()
    return correct / len(x)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=24)
    ap.add_argument("--batch-size", type=int, default=512)
    ap.add_argument("--lr", type=float, default=0.4)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--weight-decay", type=float, default=5e-4)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--warmup-frac", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=int(os.environ.get("TRAIN_THREADS", "2")))
    ap.add_argument("--bf16", action="store_true", help="bfloat16 autocast (CPUs with AMX/AVX512-BF16)")
    ap.add_argument("--bench", type=int, default=0, help="time this many steps and exit")
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (smoke test)")
    ap.add_argument("--stop-after-epochs", type=int, default=0,
                    help="stop after this many epochs of the --epochs schedule (phase 1 of a two-phase run)")
    ap.add_argument("--resume", default=None,
                    help="phase 2: folder of a phase-1 run (model.pt + summary.json); the learning rate then "
                         "decays linearly from the phase-1 schedule's value to 0")
    ap.add_argument("--decay-steps", type=int, default=0, help="phase 2: length of the linear decay in steps")
    ap.add_argument("--decay-seconds", type=float, default=0.0,
                    help="phase 2: length of the linear decay in wall-clock seconds (records the steps it took)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "build" / "train"))
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    x_train, y_train = cifar_data.load_train()
    x_test, y_test = cifar_data.load_test()
    aug = Augmenter(x_train, 4, rng)
    y_train_t = torch.from_numpy(y_train)

    model = net.ResNet9Q().to(memory_format=torch.channels_last)
    phase1 = None
    if args.resume:
        phase1 = json.loads((Path(args.resume) / "summary.json").read_text())
        model.load_state_dict(torch.load(Path(args.resume) / "model.pt", map_location="cpu", weights_only=True))
        model = model.to(memory_format=torch.channels_last)
    params, macs = net.count_parameters(model), net.count_macs(model)
    print(f"parameters={params} macs={macs}", flush=True)

    steps_per_epoch = len(x_train) // args.batch_size  # drop the last partial batch
    total_steps = steps_per_epoch * args.epochs
    warm = max(1, int(total_steps * args.warmup_frac))

    def one_cycle(step: int, total_steps: int, warm: int, lr: float) -> float:
        if step < warm:
            return lr * step / warm
        return lr * max(0.0, (total_steps - step) / (total_steps - warm))

    if phase1:
        h = phase1["hyperparameters"]
        p_spe = 50000 // h["batch_size"]
        p_total = p_spe * h["epochs"]
        lr_start = one_cycle(phase1["steps"], p_total, max(1, int(p_total * h["warmup_frac"])), h["lr"])
        if not (args.decay_steps or args.decay_seconds):
            raise SystemExit("--resume needs --decay-steps or --decay-seconds")
        print(f"resuming after {phase1['steps']} steps; lr decays linearly from {lr_start:.4f}", flush=True)
        total_steps = args.decay_steps or 10**9

    t_start = time.time()

    def lr_at(step: int) -> float:
        if phase1:
            if args.decay_seconds:
                return lr_start * max(0.0, 1.0 - (time.time() - t_start) / args.decay_seconds)
            return lr_start * max(0.0, 1.0 - step / args.decay_steps)
        if step < warm:
            return args.lr * step / warm
        return args.lr * max(0.0, (total_steps - step) / (total_steps - warm))

    opt = torch.optim.SGD(model.parameters(), lr=0.0, momentum=args.momentum, nesterov=True,
                          weight_decay=args.weight_decay)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)

    commit = git_commit()
    history = []
    step = 0
    done = False
    model.train()
    for epoch in range(args.epochs if not phase1 else 10**6):
        t_ep = time.time()
        perm = rng.permutation(len(x_train))
        loss_sum, correct, seen = 0.0, 0, 0
        for b in range(steps_per_epoch):
            idx = perm[b * args.batch_size:(b + 1) * args.batch_size]
            xb = torch.from_numpy(aug.batch(idx))
            yb = y_train_t[idx]
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                logits = model(xb)
            loss = loss_fn(logits.float(), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            loss_sum += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
            seen += len(idx)
            if args.bench and step == 5:
                t_bench = time.time()
            if args.bench and step == args.bench + 5:
                dt = (time.time() - t_bench) / args.bench
                print(f"bench: {dt:.3f} s/step, {dt * steps_per_epoch:.1f} s/epoch "
                      f"(batch {args.batch_size}, bf16={args.bf16}, threads={args.threads})", flush=True)
                return
            if args.max_steps and step >= args.max_steps:
                break
            if phase1 and ((args.decay_steps and step >= args.decay_steps)
                           or (args.decay_seconds and time.time() - t_start >= args.decay_seconds)):
                done = True
                break
        ep_s = time.time() - t_ep
        rec = {"epoch": epoch + 1, "loss": loss_sum / seen, "trainTop1": correct / seen,
               "seconds": round(ep_s, 1), "elapsed": round(time.time() - t_start, 1)}
        history.append(rec)
        print(json.dumps(rec), flush=True)
        torch.save(model.state_dict(), out / "checkpoint.pt")
        if args.max_steps and step >= args.max_steps:
            break
        if done or (args.stop_after_epochs and epoch + 1 >= args.stop_after_epochs):
            break
    train_seconds = time.time() - t_start

    test_top1 = evaluate(model, x_test, y_test)
    print(f"test top-1 (fp32, torch) = {test_top1:.4f}; training took {train_seconds:.0f} s", flush=True)
    torch.save(model.state_dict(), out / "model.pt")
    summary = {
        "modelName": net.MODEL_NAME,
        "architecture": net.ARCHITECTURE,
        "parameters": params,
        "macsPerImage": macs,
        "epochs": round(step / steps_per_epoch, 3),
        "steps": step,
        "trainingSeconds": int(round(train_seconds)),
        "trainingHost": f"{args.threads} CPU cores ({cpu_description()}), PyTorch {torch.__version__}",
        "trainedAtCommit": commit,
        "torchTestTop1": float(test_top1),
        "hyperparameters": {k: v for k, v in vars(args).items() if k not in ("out", "bench", "max_steps")},
        "history": history,
    }
    if phase1:
        summary["phase2"] = {"steps": step, "seconds": int(round(train_seconds)), "lrStart": lr_start,
                             "decaySteps": args.decay_steps, "decaySeconds": args.decay_seconds,
                             "seed": args.seed, "history": history}
        summary["phase1"] = {k: phase1[k] for k in ("steps", "trainingSeconds", "hyperparameters", "history",
                                                    "trainedAtCommit")}
        summary["hyperparameters"] = phase1["hyperparameters"]
        summary["steps"] = phase1["steps"] + step
        summary["epochs"] = round(summary["steps"] / steps_per_epoch, 3)
        summary["trainingSeconds"] = phase1["trainingSeconds"] + int(round(train_seconds))
        summary["trainedAtCommit"] = commit
    (out / "summary.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
