// The odin CLI: compile, eval, metrics and train subcommands; machine output on stdout, progress on stderr.
import { Command } from 'commander';
import { registerCompile } from './compile.ts';
import { exitCodeFor } from './errors.ts';
import { registerEval } from './eval.ts';
import { registerMetrics } from './metrics.ts';
import { registerTrain } from './train.ts';

const program = new Command('odin')
  .description('ODIN out-of-distribution detection: compile, evaluate and train ONNX classifiers')
  .exitOverride()
  .showHelpAfterError();
registerCompile(program);
registerEval(program);
registerMetrics(program);
registerTrain(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = exitCodeFor(error);
  const name = (error as Error).name;
  if (name !== 'CommanderError') console.error(`odin: ${(error as Error).message}`);
  else if ((error as { exitCode?: number }).exitCode === 0) process.exit(0);
  process.exit(code);
}
