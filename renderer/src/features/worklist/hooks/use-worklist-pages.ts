import type { WorklistQueryInput } from '@contract/inputs';
import type { ReviewState, RiskCategory, WorklistRow } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../../app/api-context';

export const PAGE_SIZE = 200;

/**
 * A sparse cache of worklist pages fetched from main as the virtual window moves. A new query clears it; the
 * generation counter drops answers to an outdated query.
 */
export function useWorklistPages(batchId: string, query: WorklistQueryInput) {
  const api = useApi();
  const pages = useRef(new Map<number, WorklistRow[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);
  const [matching, setMatching] = useState<number | null>(null);
  const [total, setTotal] = useState(0);
  const [categoryCounts, setCategoryCounts] = useState<Record<RiskCategory, number> | null>(null);
  const [incompleteCount, setIncompleteCount] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);

  const fetchPage = useCallback(
    async (page: number) => {
      if (pages.current.has(page) || inFlight.current.has(page)) return;
      const gen = generation.current;
      inFlight.current.add(page);
      const result = await api.worklistPage({ batchId, query, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (gen !== generation.current) return;
      inFlight.current.delete(page);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      pages.current.set(page, result.value.rows);
      setMatching(result.value.matching);
      setTotal(result.value.total);
      setCategoryCounts(result.value.categoryCounts);
      setIncompleteCount(result.value.incompleteCount);
      setVersion((v) => v + 1);
    },
    [api, batchId, query],
  );

  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    inFlight.current = new Set();
    setMatching(null);
    setError(null);
    void fetchPage(0);
  }, [fetchPage]);

  const ensureRange = useCallback(
    (start: number, end: number) => {
      for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor(Math.max(start, end) / PAGE_SIZE); p++) {
        void fetchPage(p);
      }
    },
    [fetchPage],
  );

  const rowAt = useCallback((position: number): WorklistRow | undefined => {
    return pages.current.get(Math.floor(position / PAGE_SIZE))?.[position % PAGE_SIZE];
  }, []);

  /** Updates a cached row after a review, without refetching. */
  const patchReview = useCallback((position: number, review: ReviewState) => {
    const row = pages.current.get(Math.floor(position / PAGE_SIZE))?.[position % PAGE_SIZE];
    if (row) row.review = review;
    setVersion((v) => v + 1);
  }, []);

  return { matching, total, categoryCounts, incompleteCount, error, version, ensureRange, rowAt, patchReview };
}
