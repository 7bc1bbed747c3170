#!/usr/bin/env python3
"""Exports the fixture zoo: torchvision architectures at reduced width and depth, 32x32 input, random weights.

Run with Debian's python3-torch 1.13, python3-torchvision 0.14 and python3-onnx 1.12 (see ../shared/STACK.md):

    /usr/bin/python3 packages/engine/test/zoo/export.py

It writes <name>.onnx for each net and zoo.json: per net, the opset, whether the batch is dynamic, the ONNX input and
output names, and PyTorch's logits for the two test images (zoo.json's `images`, raw [0,1] pixels, NCHW [2,3,32,32]).
The engine's tests read only these files; they never need Python.
"""
import json
import os
from functools import partial

import torch
import torch.nn as nn
from torchvision.models import convnext, efficientnet, mobilenetv2, mobilenetv3, resnet, shufflenetv2, squeezenet
from torchvision.models.vision_transformer import VisionTransformer

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE = 32
CLASSES = 10


def small_resnet():
    """torchvision's ResNet with BasicBlocks at widths 8/16/16/32, one block per stage."""
    net = resnet.ResNet(resnet.BasicBlock, [1, 1, 1, 1], num_classes=CLASSES)
    # ResNet hard-codes widths 64..512; rebuild its layers narrower with its own _make_layer.
    net.inplanes = 8
    net.conv1 = nn.Conv2d(3, 8, kernel_size=7, stride=2, padding=3, bias=False)
    net.bn1 = nn.BatchNorm2d(8)
    net.layer1 = net._make_layer(resnet.BasicBlock, 8, 1)
    net.layer2 = net._make_layer(resnet.BasicBlock, 16, 1, stride=2)
    net.layer3 = net._make_layer(resnet.BasicBlock, 16, 1, stride=2)
    net.layer4 = net._make_layer(resnet.BasicBlock, 32, 1, stride=2)
    net.fc = nn.Linear(32, CLASSES)
    return net


def small_mobilenet_v2():
    setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 1, 2]]
    net = mobilenetv2.MobileNetV2(num_classes=CLASSES, width_mult=0.5, inverted_residual_setting=setting)
    # Its last 1x1 conv is 1280 wide whatever the width multiplier: narrow it to 64.
    net.features[-1] = mobilenetv2.Conv2dNormActivation(net.features[-1][0].in_channels, 64, kernel_size=1, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU6)
    net.classifier[-1] = nn.Linear(64, CLASSES)
    return net


def small_mobilenet_v3():
    setting, _ = mobilenetv3._mobilenet_v3_conf('mobilenet_v3_small', width_mult=0.25)
    return mobilenetv3.MobileNetV3(setting[:5], last_channel=64, num_classes=CLASSES)


class SmallSqueezeNet(nn.Module):
    """SqueezeNet 1.1's layout with torchvision's Fire modules at a quarter of the width."""

    def __init__(self):
        super().__init__()
        fire = squeezenet.Fire
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=3, stride=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(16, 4, 16, 16), fire(32, 4, 16, 16),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(32, 8, 32, 32),
        )
        self.classifier = nn.Sequential(nn.Dropout(p=0.5), nn.Conv2d(64, CLASSES, kernel_size=1), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, x):
        return torch.flatten(self.classifier(self.features(x)), 1)


def small_shufflenet():
    return shufflenetv2.ShuffleNetV2([1, 1, 1], [8, 16, 32, 64, 128], num_classes=CLASSES)


def small_efficientnet():
    conf = partial(efficientnet.MBConvConfig, width_mult=0.25, depth_mult=0.5)
    setting = [conf(1, 3, 1, 32, 16, 1), conf(6, 3, 2, 16, 24, 2), conf(6, 5, 2, 24, 40, 2)]
    return efficientnet.EfficientNet(setting, dropout=0.2, stochastic_depth_prob=0.0, num_classes=CLASSES, last_channel=64)


def small_convnext():
    setting = [convnext.CNBlockConfig(16, 32, 1), convnext.CNBlockConfig(32, None, 1)]
    return convnext.ConvNeXt(setting, stochastic_depth_prob=0.0, num_classes=CLASSES)


def small_vit():
    return VisionTransformer(image_size=SIZE, patch_size=8, num_layers=2, num_heads=2, hidden_dim=32, mlp_dim=64, num_classes=CLASSES)


class SeluCnn(nn.Module):
    """A plain CNN with SELU and ELU, the activations the issue found without gradient rules."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.SELU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ELU(alpha=0.5), nn.MaxPool2d(2),
            nn.Conv2d(16, 16, 3, padding=1), nn.Mish(), nn.AdaptiveAvgPool2d(1),
        )
        self.fc = nn.Linear(16, CLASSES)

    def forward(self, x):
        return self.fc(torch.flatten(self.body(x), 1))


class NormCnn(nn.Module):
    """AlexNet-style local response normalisation, instance normalisation, CELU and Softsign."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.InstanceNorm2d(8, affine=True), nn.CELU(alpha=0.7), nn.MaxPool2d(2),
            nn.Conv2d(8, 12, 3, padding=1), nn.LocalResponseNorm(3, alpha=0.2, beta=0.75, k=2.0), nn.Softsign(), nn.AdaptiveAvgPool2d(1),
        )
        self.fc = nn.Linear(12, CLASSES)

    def forward(self, x):
        return self.fc(torch.flatten(self.body(x), 1))


# name, builder, opset, dynamic batch
ZOO = [
    ('resnet', small_resnet, 17, True),
    ('resnet_opset9', small_resnet, 9, True),
    ('resnet_batch1', small_resnet, 13, False),
    ('mobilenet_v2', small_mobilenet_v2, 13, True),
    ('mobilenet_v3', small_mobilenet_v3, 17, True),
    ('squeezenet', SmallSqueezeNet, 11, True),
    ('shufflenet_v2', small_shufflenet, 17, True),
    ('efficientnet', small_efficientnet, 15, True),
    ('convnext', small_convnext, 17, True),
    ('vit', small_vit, 17, True),
    ('vit_batch1', small_vit, 17, False),
    ('selu_cnn', SeluCnn, 12, True),
    ('norm_cnn', NormCnn, 13, True),
]


def main():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    images = torch.rand(2, 3, SIZE, SIZE, generator=gen)
    index = {'images': images.flatten().tolist(), 'dims': list(images.shape), 'nets': {}}
    for i, (name, build, opset, dynamic) in enumerate(ZOO):
        torch.manual_seed(100 + i)
        net = build().eval()
        # Random BatchNorm statistics, so the folded normalisation is not the identity.
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
        with torch.no_grad():
            # Re-draw the classifier (torchvision's ViT starts it at zero) and scale it so the logits spread like a
            # trained net's (std 3): with near-uniform softmax outputs, ODIN's perturbation would hardly move a score.
            head = [m for m in net.modules() if isinstance(m, (nn.Linear, nn.Conv2d)) and (getattr(m, 'out_features', None) or m.out_channels) == CLASSES][-1]
            nn.init.normal_(head.weight, std=head.weight[0].numel() ** -0.5)
            nn.init.uniform_(head.bias, -0.1, 0.1)
            scale = 3 / net(images).std()
            head.weight.mul_(scale)
            head.bias.mul_(scale)
            logits = net(images)
        path = os.path.join(HERE, f'{name}.onnx')
        dummy = images[:1] if not dynamic else images
        torch.onnx.export(
            net, dummy, path, opset_version=opset, input_names=['input'], output_names=['logits'],
            dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}} if dynamic else None, do_constant_folding=True,
        )
        index['nets'][name] = {'opset': opset, 'dynamicBatch': dynamic, 'input': 'input', 'output': 'logits', 'torchLogits': logits.flatten().tolist(), 'bytes': os.path.getsize(path)}
        print(f'{name}: opset {opset}, {"dynamic" if dynamic else "batch 1"}, {os.path.getsize(path)} bytes')
    with open(os.path.join(HERE, 'zoo.json'), 'w') as f:
        json.dump(index, f)


if __name__ == '__main__':
    main()
