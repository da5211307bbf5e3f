/**
 * The parse context for a value checked once per process (a config file, a model bundle's JSON files): zod's
 * default compiles each object schema into a function on its first parse, which only pays back over many parses and
 * made checking these files several milliseconds slower at every start. The checks and their results are the same.
 */
export const PARSE_ONCE = { jitless: true } as const;
