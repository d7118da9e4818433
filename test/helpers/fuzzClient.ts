/**
 * Worker-thread entry for the fuzz test: sends one lane of fuzzed activities
 * (workerData: a LaneSpec) and posts back its LaneResult. Running the client
 * in its own thread leaves the server's thread (and heap) to the server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runLane, type LaneSpec } from './fuzz';

runLane(workerData as LaneSpec).then(
  (r) => parentPort?.postMessage(r),
  (err: unknown) => {
    throw err;
  },
);
