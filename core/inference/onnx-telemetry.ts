import { isMainThread } from 'node:worker_threads';

/**
 * ONNX Runtime's switch for its own usage telemetry on Linux and macOS. Left on, the runtime keeps a persistent
 * device identifier and a queue of events (sessions opened, runs per batch size, process CPU and memory) in the
 * user's cache folder (on Linux ~/.cache/Microsoft/DeveloperTools/.onnxruntime, or under $XDG_CACHE_HOME), and
 * uploads them to Microsoft whenever the machine has a network.
 * A screening workstation sends nothing anywhere, so the product always sets it, and no setting turns it back on.
 * The runtime reads it once, from the process's environment, when it initialises.
 */
export const ONNX_TELEMETRY_SWITCH = 'ORT_DISABLE_TELEMETRY';

interface ThreadEnv {
  isMainThread: boolean;
  env: NodeJS.ProcessEnv;
}

const thisThread = (): ThreadEnv => ({ isMainThread, env: process.env });

/**
 * Turns the runtime's telemetry off for this process and every thread or child it starts afterwards. Only the main
 * thread can: a worker's process.env is a copy of its parent's, and setting it never reaches the process's
 * environment, where the runtime reads it.
 */
export function turnOffOnnxTelemetry(thread: ThreadEnv = thisThread()): void {
  if (thread.isMainThread) thread.env[ONNX_TELEMETRY_SWITCH] = '1';
}

/**
 * Called before loading the runtime. On a worker it checks the switch came with the thread: a worker started before
 * its parent turned telemetry off would load a runtime that records and uploads, so it refuses instead.
 */
export function keepOnnxRuntimeOffline(thread: ThreadEnv = thisThread()): void {
  turnOffOnnxTelemetry(thread);
  if (thread.env[ONNX_TELEMETRY_SWITCH] !== '1') {
    throw new Error(
      `ONNX Runtime not loaded: this worker thread was started before ${ONNX_TELEMETRY_SWITCH}=1 was set on the main thread, so the runtime's telemetry would be on`,
    );
  }
}
