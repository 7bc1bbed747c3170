// `odin train`: trains a classifier from scratch with the engine's autodiff and writes a standard ONNX model.
import { writeFile } from 'node:fs/promises';
import { Option } from 'commander';
import type { Command } from 'commander';
import { openDataset } from '../data/index.ts';
import { writeModel } from '../graph/onnx-io.ts';
import { nodeRuntime } from '../runtime/node.ts';
import { ARCHITECTURES, loadIntoMemory, pixelStats, train } from '../train/index.ts';
import { CliError, EXIT } from './errors.ts';
import { nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from './options.ts';
import { evaluateAccuracy } from '../evaluate/accuracy.ts';
import { writeTrainingMetadata } from '../odin/input-semantics.ts';


export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a classifier from scratch and write it as ONNX with odin:* metadata')
    .requiredOption('--data <spec>', 'labelled training set, e.g. fashion-mnist:train')
    .addOption(new Option('--arch <name>', 'architecture').choices(Object.keys(ARCHITECTURES)).default('small-cnn'))
    .option('--epochs <n>', 'epochs', positiveInt('--epochs'), 5)
    .option('--seed <n>', 'seed for initialisation and shuffling', nonNegativeInt('--seed'), 0)
    .option('--batch <n>', 'batch size', positiveInt('--batch'), 128)
    .addOption(new Option('--optimizer <name>', 'optimiser').choices(['adam', 'sgd']).default('adam'))
    .option('--lr <x>', 'peak learning rate', positiveNumber('--lr'), 0.002)
    .option('--momentum <x>', 'SGD momentum', nonNegativeNumber('--momentum'), 0.9)
    .option('--weight-decay <x>', 'weight decay', nonNegativeNumber('--weight-decay'), 0)
    .addOption(new Option('--schedule <name>', 'learning-rate schedule').choices(['constant', 'cosine', 'step']).default('cosine'))
    .option('--limit <n>', 'use only the first n training images', positiveInt('--limit'))
    .option('--test <spec>', 'report accuracy on this labelled set after training, e.g. fashion-mnist:test')
    .option('--threads <n>', 'intra-op threads', positiveInt('--threads'))
    .requiredOption('-o, --output <file>', 'where to write the model (.onnx)')
    .action(async (opts) => {
      const open = async (spec: string) => {
        try {
          return await openDataset(spec);
        } catch (e) {
          throw new CliError((e as Error).message, EXIT.badInput);
        }
      };
      const data = await open(opts.data);
      if (!data.labels) throw new CliError(`${opts.data} has no labels to train on`, EXIT.badInput);
      const first = (await data.batches({ batchSize: 1 })[Symbol.asyncIterator]().next()).value?.[0];
      if (!first) throw new CliError(`${opts.data} is empty`, EXIT.badInput);
      const { height, width, channels } = first.image;
      const spec = { layout: 'NCHW' as const, height, width, channels };
      console.error(`loading ${opts.data} (${data.size} images, ${height}×${width}×${channels})…`);
      const set = await loadIntoMemory(data, spec, opts.limit ?? data.size);
      const { mean, std } = pixelStats(set);
      const initial = ARCHITECTURES[opts.arch]({ input: { height, width, channels }, numClasses: data.labels.length, seed: opts.seed });
      const result = await train({
        model: initial,
        data: set,
        mean,
        std,
        epochs: opts.epochs,
        batchSize: opts.batch,
        seed: opts.seed,
        threads: opts.threads,
        optimizer: { kind: opts.optimizer, lr: opts.lr, momentum: opts.momentum, weightDecay: opts.weightDecay, schedule: opts.schedule },
        runtime: nodeRuntime,
        onProgress: (p) =>
          process.stderr.write(
            `\repoch ${p.epoch}/${p.epochs} step ${p.step}/${p.stepsPerEpoch} loss ${p.loss.toFixed(4)} acc ${(100 * p.accuracy).toFixed(2)}% ${p.imagesPerSecond.toFixed(0)} img/s   `,
          ),
      });
      process.stderr.write('\n');
      const model = result.model;
      writeTrainingMetadata(model.metadata, {
        mean: [Number(mean.toFixed(6))],
        std: [Number(std.toFixed(6))],
        labels: data.labels,
        layout: spec.layout,
        dataset: opts.data,
        arch: opts.arch,
        command: `odin train --data ${opts.data} --arch ${opts.arch} --epochs ${opts.epochs} --seed ${opts.seed} --batch ${opts.batch} --optimizer ${opts.optimizer} --lr ${opts.lr} --schedule ${opts.schedule}${opts.weightDecay ? ` --weight-decay ${opts.weightDecay}` : ''}`,
      });
      await writeFile(opts.output, writeModel(model));
      const last = result.history[result.history.length - 1];
      const summary: Record<string, unknown> = {
        output: opts.output,
        seconds: Number(result.seconds.toFixed(1)),
        images_per_second: Math.round(result.history.reduce((a, h) => a + h.imagesPerSecond, 0) / result.history.length),
        train_loss: last?.loss,
        train_accuracy: last?.accuracy,
      };
      if (opts.test) summary.test_accuracy = await evaluateAccuracy(model, await open(opts.test), nodeRuntime, { threads: opts.threads });
      console.log(JSON.stringify(summary, null, 2));
    });
}
