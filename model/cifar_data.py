"""CIFAR-10 binary-batch reader (numpy only, no training framework needed).

The data folder is taken from the environment variable CIFAR10_DIR and must hold
the official binary batches: data_batch_1.bin .. data_batch_5.bin and
test_batch.bin. Each record is 3073 bytes: one label byte, then 1024 red,
1024 green and 1024 blue bytes, each plane row-major 32x32.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

CLASS_NAMES = [
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
]

# Normalization applied inside every exported graph (and during training):
#   x = uint8 RGB pixel; y = (x / SCALE - MEAN[c]) / STD[c]
# MEAN/STD are the per-channel mean and standard deviation of the 50,000
# CIFAR-10 training images on the 0..1 scale, rounded to 4 decimals.
SCALE = 255.0
MEAN = [0.4914, 0.4822, 0.4465]
STD = [0.2470, 0.2435, 0.2616]

TRAIN_FILES = [f"data_batch_{i}.bin" for i in range(1, 6)]
TEST_FILES = ["test_batch.bin"]
RECORD_BYTES = 1 + 32 * 32 * 3


class DatasetError(RuntimeError):
    pass


def cifar_dir() -> Path:
    value = os.environ.get("CIFAR10_DIR")
    if not value:
        raise DatasetError(
            "CIFAR10_DIR is not set: point it at the folder holding the CIFAR-10 "
            "binary batches (data_batch_1.bin .. data_batch_5.bin, test_batch.bin)")
    path = Path(value)
    missing = [f for f in TRAIN_FILES + TEST_FILES if not (path / f).is_file()]
    if missing:
        raise DatasetError(
            f"CIFAR10_DIR={value} lacks the CIFAR-10 binary batch file(s): {', '.join(missing)}")
    return path


def _read(files: list[str], limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    root = cifar_dir()
    images, labels = [], []
    total = 0
    for name in files:
        raw = np.fromfile(root / name, dtype=np.uint8)
        if raw.size % RECORD_BYTES:
            raise DatasetError(f"{root / name}: size {raw.size} is not a multiple of {RECORD_BYTES}")
        rec = raw.reshape(-1, RECORD_BYTES)
        labels.append(rec[:, 0].astype(np.int64))
        # [N, 3, 32, 32] planes -> NHWC [N, 32, 32, 3], RGB order
        images.append(rec[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        total += rec.shape[0]
        if limit is not None and total >= limit:
            break
    x = np.ascontiguousarray(np.concatenate(images))
    y = np.concatenate(labels)
    if limit is not None:
        x, y = x[:limit], y[:limit]
    return x, y


def load_train(limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Training images as uint8 NHWC [N,32,32,3] RGB and int64 labels."""
    return _read(TRAIN_FILES, limit)


def load_test(limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Test images (in file order) as uint8 NHWC [N,32,32,3] RGB and int64 labels."""
    return _read(TEST_FILES, limit)
