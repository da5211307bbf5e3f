import { canonicalJson } from './audit-chain';

/** Reading and writing SQLite column values: one row as the driver returns it, JSON columns, nullable columns. */
export type Row = Record<string, unknown>;

export function json(value: unknown): string {
  return canonicalJson(value ?? {});
}
export function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return fallback;
  return JSON.parse(text) as T;
}
export function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
export function str(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
