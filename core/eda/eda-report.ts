/**
 * The EDA report's types are part of the UI contract (the admin's EDA view renders them as they are), so they are
 * defined once in core/api/eda-types.ts, which the renderer may import; core/eda computes values of these types.
 */
export type * from '../api/eda-types';
