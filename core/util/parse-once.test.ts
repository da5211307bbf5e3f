import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AppConfigSchema } from '../config/app-config';
import { ModelMetadataSchema } from '../registry/model-metadata';
import { PARSE_ONCE } from './parse-once';

const PRODUCTION = join(import.meta.dirname, '../../models/production');

/** The same value through zod's default parse and the one-shot context: data or issues. */
function bothWays(schema: z.ZodType, value: unknown) {
  const outcome = (r: z.ZodSafeParseResult<unknown>) => (r.success ? { data: r.data } : { issues: r.error.issues });
  return { compiled: outcome(schema.safeParse(value)), once: outcome(schema.safeParse(value, PARSE_ONCE)) };
}

describe('PARSE_ONCE', () => {
  it('checks a config exactly as the default parse does: defaults filled, unknown and wrong keys refused', () => {
    const configs: unknown[] = [
      {},
      { paths: { dbPath: '/tmp/x.db' }, screening: { threadMinBytes: 0, storeThread: true } },
      { paths: { dbPth: '/tmp/x.db' } },
      { risk: { cuts: { medium: 0.9, high: 0.2 } } },
      { screening: { onnxThreads: 0, scoreThread: 'sometimes' }, drift: { enabled: 'yes' } },
      [],
      null,
    ];
    for (const config of configs) {
      const { compiled, once } = bothWays(AppConfigSchema, config);
      expect(once).toEqual(compiled);
    }
    // Both kinds of outcome were compared, not only one.
    expect(configs.map((c) => AppConfigSchema.safeParse(c, PARSE_ONCE).success)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('checks the production model metadata exactly as the default parse does, and a broken copy likewise', () => {
    const metadata = JSON.parse(readFileSync(join(PRODUCTION, 'metadata.json'), 'utf8'));
    const good = bothWays(ModelMetadataSchema, metadata);
    expect(good.once).toEqual(good.compiled);
    expect(good.once.data).toBeDefined();
    const broken = { ...metadata, optimal_threshold: 1.5, files: { ...metadata.files, 'model.onnx': 'not a hash' } };
    const bad = bothWays(ModelMetadataSchema, broken);
    expect(bad.once).toEqual(bad.compiled);
    expect(bad.once.issues?.length).toBe(2);
  });
});
