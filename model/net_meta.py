"""The input/output contract shared by every artifact (no framework imports)."""
from cifar_data import MEAN, SCALE, STD

INPUT = {
    "name": "image",
    "elementType": "u8",
    "layout": "NHWC",
    "shape": [-1, 32, 32, 3],
    "colorOrder": "RGB",
    "normalization": {
        "scale": SCALE,
        "mean": MEAN,
        "std": STD,
        "formula": "(float(x) / scale - mean[c]) / std[c], then NHWC -> NCHW",
        "insideGraph": True,
    },
}

OUTPUT = {"name": "logits", "elementType": "f32", "shape": [-1, 10], "kind": "logits"}
