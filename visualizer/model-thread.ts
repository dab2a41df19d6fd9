/**
 * The page's model, laid out in a worker thread (visualizer/model-worker.ts).
 * The worker runs the compiled file; where there is none (the sources run
 * directly, as under the tests' TypeScript loader) it is looked for in dist/,
 * and failing that the layout runs on this thread.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunPlan } from '../src/engine/report-plan.js';
import { visualizerModel, type VisualizerModel } from './model.js';

function workerFile(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'model-worker.js'), path.join(here, '..', 'dist', 'visualizer', 'model-worker.js')];
  return candidates.find((file) => existsSync(file));
}

export function modelOffThread(plan: RunPlan, mode: VisualizerModel['mode']): Promise<VisualizerModel> {
  const file = workerFile();
  if (!file) return visualizerModel(plan, mode);
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: { plan, mode } });
    // A run that ends before its page was laid out does not wait for the layout.
    worker.unref();
    worker.once('message', (model: VisualizerModel) => resolve(model));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`layout worker exited with status ${code}`)));
  });
}
