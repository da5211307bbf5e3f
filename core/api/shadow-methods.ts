import { z } from 'zod';
import { ModelRef } from './inputs';
import { method } from './method-spec';
import type { ShadowStatus } from './shadow-types';

/** A shadow version's comparison; without a version, the current shadow's (or the newest compared). */
export const ShadowStatusInput = z.strictObject({ version: z.string().min(1).max(100).optional() });
/** The candidate by its registry id; `confirmed: true` is required, as for promote. */
export const SetShadowInput = z.strictObject({ ...ModelRef.shape, confirmed: z.literal(true) });
export const ClearShadowInput = z.strictObject({ confirmed: z.literal(true) });

/** Shadow scoring (champion/challenger): admins only; setting and clearing are audited with before and after. */
export const shadowMethods = {
  shadowStatus: method(ShadowStatusInput, 'admin').returns<ShadowStatus>(),
  /** Verifies the bundle and makes it the one shadow (replacing any), from the next batch on. */
  setShadow: method(SetShadowInput, 'admin').returns<ShadowStatus>(),
  clearShadow: method(ClearShadowInput, 'admin').returns<ShadowStatus>(),
} as const;
