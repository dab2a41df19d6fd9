/**
 * Worker thread entry: lays out the page's model (visualizer/model.ts) away
 * from the engine's thread, so ELK's seconds of CPU on a busy machine never
 * delay a start, a timer or a signal of the run being shown.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RunPlan } from '../src/engine/report-plan.js';
import { visualizerModel, type VisualizerModel } from './model.js';

const { plan, mode } = workerData as { plan: RunPlan; mode: VisualizerModel['mode'] };
parentPort?.postMessage(await visualizerModel(plan, mode));
