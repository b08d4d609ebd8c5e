"""The network: ResNet-9 (DAWNBench layout) at quarter width, with the input
normalization inside the graph (uint8 NHWC in, raw logits out)."""
from __future__ import annotations

import torch
from torch import nn

from cifar_data import MEAN, SCALE, STD

MODEL_NAME = "cifar10-resnet9q"
ARCHITECTURE = (
    "ResNet-9 (DAWNBench layout) at quarter width: conv3x3 3->16; conv 16->32 + maxpool2 "
    "+ residual(2x conv 32->32); conv 32->64 + maxpool2; conv 64->128 + maxpool2 + "
    "residual(2x conv 128->128); global max pool; linear 128->10; logits x0.125. "
    "Every conv is conv3x3-BatchNorm-ReLU. Input normalization inside the graph."
)


def conv_bn(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class Residual(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.body = nn.Sequential(conv_bn(c, c), conv_bn(c, c))

    def forward(self, x):
        return x + self.body(x)


class Normalize(nn.Module):
    """uint8 NHWC RGB -> float NCHW normalized."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor(MEAN, dtype=torch.float32).view(1, 1, 1, 3))
        self.register_buffer("inv_std", (1.0 / torch.tensor(STD, dtype=torch.float32)).view(1, 1, 1, 3))

    def forward(self, x):
        x = x.to(torch.float32) / SCALE
        x = (x - self.mean) * self.inv_std
        return x.permute(0, 3, 1, 2)


class ResNet9Q(nn.Module):
    def __init__(self, width: int = 16, num_classes: int = 10, logit_scale: float = 0.125):
        super().__init__()
        w = width
        self.normalize = Normalize()
        self.features = nn.Sequential(
            conv_bn(3, w),                                   # prep @32
            conv_bn(w, 2 * w), nn.MaxPool2d(2), Residual(2 * w),    # layer1 -> @16
            conv_bn(2 * w, 4 * w), nn.MaxPool2d(2),                 # layer2 -> @8
            conv_bn(4 * w, 8 * w), nn.MaxPool2d(2), Residual(8 * w),  # layer3 -> @4
            nn.AdaptiveMaxPool2d(1),
            nn.Flatten(),
        )
        self.classifier = nn.Linear(8 * w, num_classes, bias=False)
        self.logit_scale = logit_scale

    def forward(self, image):
        x = self.normalize(image)
        x = self.features(x)
        return self.classifier(x) * self.logit_scale


def count_parameters(model: nn.Module) -> int:
    """Trainable parameters (BatchNorm running statistics excluded)."""
    return sum(p.numel() for p in model.parameters())


def count_macs(model: nn.Module) -> int:
    """Multiply-accumulates per image of conv and linear layers (BN folds into conv)."""
    macs = 0
    hooks = []

    def conv_hook(m, inp, out):
        nonlocal macs
        n = out.shape[0]
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        macs += out.numel() // n * k

    def linear_hook(m, inp, out):
        nonlocal macs
        macs += m.in_features * m.out_features

    for mod in model.modules():
        if isinstance(mod, nn.Conv2d):
            hooks.append(mod.register_forward_hook(conv_hook))
        elif isinstance(mod, nn.Linear):
            hooks.append(mod.register_forward_hook(linear_hook))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 32, 32, 3, dtype=torch.uint8))
    model.train(was_training)
    for h in hooks:
        h.remove()
    return macs
