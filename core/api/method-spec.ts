import type { z } from 'zod';
import type { Access } from './access';

export interface MethodSpec<I extends z.ZodType, O> {
  readonly input: I;
  readonly access: Access;
  /** Type-only: what the method resolves to on success. Never set at runtime. */
  readonly output?: O;
}

/** `method(Schema, 'clinician').returns<Output>()`: the schema and access are values, the output is a type. */
export function method<I extends z.ZodType>(input: I, access: Access) {
  return { returns: <O>(): MethodSpec<I, O> => ({ input, access }) };
}
