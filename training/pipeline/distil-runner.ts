import { Worker } from 'node:worker_threads';
import type { TreeEnsemble } from '../../core/model/tree';
import { workerEntry } from '../tuner/fold-runner';
import { type DistilJob, runDistilJob } from './distil';

type Reply =
  | { type: 'distilled'; jobId: number; student: TreeEnsemble }
  | { type: 'error'; jobId: number; message: string };

/**
 * Students of independent distillation jobs, in job order. With `workers` > 0 the jobs run on that many worker
 * threads (at most one per job), each taking the next job when it is free; a student depends only on its job
 * (teacher, rows and seed), so the result is the same with any number of workers.
 */
export async function distilAll(jobs: DistilJob[], workers: number): Promise<TreeEnsemble[]> {
  const count = Math.min(workers, jobs.length);
  if (count <= 0) return jobs.map(runDistilJob);
  const entry = await workerEntry();
  const students: TreeEnsemble[] = new Array(jobs.length);
  let next = 0;
  const threads: Worker[] = [];
  const drain = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      let closing = false;
      const post = () => {
        if (next >= jobs.length) {
          closing = true;
          resolve();
          return;
        }
        const jobId = next++;
        worker.postMessage({ type: 'distil', jobId, job: jobs[jobId] });
      };
      worker.on('message', (reply: Reply) => {
        if (reply.type === 'error') {
          reject(new Error(`distillation worker failed: ${reply.message}`));
          return;
        }
        students[reply.jobId] = reply.student;
        post();
      });
      worker.on('error', (error) => reject(new Error(`distillation worker failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!closing) reject(new Error(`distillation worker exited unexpectedly (code ${code})`));
      });
      post();
    });
  try {
    for (let w = 0; w < count; w++) threads.push(new Worker(entry, { execArgv: [] }));
    await Promise.all(threads.map(drain));
    return students;
  } finally {
    await Promise.all(threads.map((worker) => worker.terminate()));
  }
}
