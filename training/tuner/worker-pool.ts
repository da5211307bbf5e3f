import { Worker } from 'node:worker_threads';

/** A reply of the fold worker's entry (fold-worker.ts) to one job; `ready` answers its init message. */
type Reply = { type: 'ready' } | { type: 'error'; jobId: number; message: string } | { type: string; jobId: number };

/** Worker threads of one entry that take jobs in order, each job going to whichever thread is free. */
export interface WorkerPool {
  /** Posts `message` with a job id to the next free thread; resolves with its reply. */
  run<R>(message: object): Promise<R>;
  close(): Promise<void>;
}

/**
 * Starts `count` threads of `entry`, each sent `init` first when given. `name` opens every failure message. A thread
 * that dies (load error, crash) fails every current and later job instead of leaving it hanging; a job whose work
 * throws fails alone.
 */
export function startWorkerPool(entry: URL, count: number, name: string, init?: object): WorkerPool {
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  const queue: { jobId: number; message: object }[] = [];
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const busy = new Map<number, Worker>();
  let failure: Error | null = null;
  let closing = false;
  let nextJob = 0;
  const fail = (error: Error) => {
    failure ??= error;
    queue.length = 0;
    for (const job of pending.values()) job.reject(failure);
    pending.clear();
  };
  const dispatch = () => {
    while (!failure && idle.length > 0 && queue.length > 0) {
      const job = queue.shift() as (typeof queue)[number];
      const worker = idle.shift() as Worker;
      busy.set(job.jobId, worker);
      worker.postMessage({ ...job.message, jobId: job.jobId });
    }
  };
  try {
    for (let w = 0; w < count; w++) {
      const worker = new Worker(entry, { execArgv: [] });
      worker.on('message', (reply: Reply) => {
        if (reply.type === 'ready') return;
        const { jobId } = reply as { jobId: number };
        const job = pending.get(jobId);
        const owner = busy.get(jobId);
        busy.delete(jobId);
        if (owner) idle.push(owner);
        if (job) {
          pending.delete(jobId);
          if (reply.type === 'error')
            job.reject(new Error(`${name} failed: ${(reply as { message: string }).message}`));
          else job.resolve(reply);
        }
        dispatch();
      });
      worker.on('error', (error) => fail(new Error(`${name} failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!closing) fail(new Error(`${name} exited unexpectedly (code ${code})`));
      });
      if (init) worker.postMessage(init);
      workers.push(worker);
      idle.push(worker);
    }
  } catch (error) {
    closing = true;
    for (const worker of workers) void worker.terminate();
    throw error;
  }
  return {
    run: <R>(message: object) =>
      new Promise<R>((resolve, reject) => {
        if (failure) {
          reject(failure);
          return;
        }
        const jobId = nextJob++;
        pending.set(jobId, { resolve: resolve as (reply: Reply) => void, reject });
        queue.push({ jobId, message });
        dispatch();
      }),
    async close() {
      closing = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
