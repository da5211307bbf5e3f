import type { TreeEnsemble } from '../../core/model/tree';
import { workerEntry } from '../tuner/fold-runner';
import { startWorkerPool } from '../tuner/worker-pool';
import { type DistilJob, runDistilJob } from './distil';

/**
 * Students of independent distillation jobs, in job order. With `workers` > 0 the jobs run on that many worker
 * threads (at most one per job), each taking the next job when it is free; a student depends only on its job
 * (teacher, rows and seed), so the result is the same with any number of workers.
 */
export async function distilAll(jobs: DistilJob[], workers: number): Promise<TreeEnsemble[]> {
  const count = Math.min(workers, jobs.length);
  if (count <= 0) return jobs.map(runDistilJob);
  const pool = startWorkerPool(await workerEntry(), count, 'distillation worker');
  try {
    return await Promise.all(
      jobs.map(async (job) => (await pool.run<{ student: TreeEnsemble }>({ type: 'distil', job })).student),
    );
  } finally {
    await pool.close();
  }
}
