import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PRODUCTION_MODEL_DIR } from '../app/test-support/test-app';
import { installEmbeddedModel } from './embedded-model';

function shippedCopy(version: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'shipped-')), 'bundle');
  cpSync(PRODUCTION_MODEL_DIR, dir, { recursive: true });
  const metadataPath = join(dir, 'metadata.json');
  writeFileSync(metadataPath, JSON.stringify({ ...JSON.parse(readFileSync(metadataPath, 'utf8')), version }));
  return dir;
}

const versionIn = (dir: string) => JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')).version;

describe('the shipped model and the app registry', () => {
  test('first run installs the shipped bundle as production in the data folder', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'registry-')), 'models');
    installEmbeddedModel(shippedCopy('v1.0.0'), root);
    expect(versionIn(join(root, 'production'))).toBe('v1.0.0');
  });

  test('an app update never replaces production: the new shipped version is staged for an admin', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'registry-')), 'models');
    installEmbeddedModel(shippedCopy('v1.0.0'), root);
    installEmbeddedModel(shippedCopy('v1.1.0'), root);
    expect(versionIn(join(root, 'production'))).toBe('v1.0.0');
    expect(readdirSync(join(root, 'experiments'))).toEqual(['shipped-v1.1.0']);
    // Starting again stages nothing twice.
    installEmbeddedModel(shippedCopy('v1.1.0'), root);
    expect(readdirSync(join(root, 'experiments'))).toEqual(['shipped-v1.1.0']);
  });

  test('a missing shipped bundle leaves the registry as it is', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'registry-')), 'models');
    installEmbeddedModel(join(root, 'nothing-here'), root);
    expect(existsSync(join(root, 'production'))).toBe(false);
  });
});
