/**
 * npx tsx scripts/make-icons.ts: draws the app icon (a white drop on a blue rounded square) with ImageMagick's
 * `convert` and writes resources/build/icon.png (1024x1024, Linux and the source of the others), icon.ico
 * (Windows: 16 to 256 px) and icon.icns (macOS: 16 to 1024 px). The .icns container is written here (PNG entries
 * under their type codes), so that no macOS-only tool is needed. The outputs are committed; rerun after a change.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const OUT = resolve(import.meta.dirname, '../resources/build');

/** icns entry types holding PNG data, by pixel size. */
const ICNS_TYPES: [string, number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
];

export function icns(entries: { type: string; png: Buffer }[]): Buffer {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([header, ...parts]);
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const png = join(OUT, 'icon.png');
  // A drop: a circle with a triangle on top; on a rounded square with a margin, as the platforms' icon grids want.
  execFileSync('convert', [
    '-size',
    '1024x1024',
    'xc:none',
    '-fill',
    '#1d5fa8',
    '-draw',
    'roundrectangle 80,80 944,944 190,190',
    '-fill',
    'white',
    '-draw',
    'circle 512,600 512,810',
    '-draw',
    'polygon 512,190 330,520 694,520',
    '-fill',
    '#1d5fa8',
    '-draw',
    'circle 440,640 440,680',
    '-strip',
    `PNG32:${png}`,
  ]);
  const tmp = mkdtempSync(join(tmpdir(), 'icons-'));
  try {
    const sized = (px: number) => {
      const file = join(tmp, `${px}.png`);
      execFileSync('convert', [png, '-resize', `${px}x${px}`, '-strip', `PNG32:${file}`]);
      return file;
    };
    execFileSync('convert', [...[16, 24, 32, 48, 64, 128, 256].map(sized), join(OUT, 'icon.ico')]);
    const entries = ICNS_TYPES.map(([type, px]) => ({ type, png: readFileSync(px === 1024 ? png : sized(px)) }));
    writeFileSync(join(OUT, 'icon.icns'), icns(entries));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`wrote ${OUT}/icon.png, icon.ico, icon.icns`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
