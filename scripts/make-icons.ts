/**
 * `npm run icons`: draws the Teams app icons with code and writes them to
 * appPackage/: color.png (192×192, a blue rounded square with a white speech
 * bubble holding a rising bar chart) and outline.png (32×32, the same bubble
 * and bars in white on transparent, as Teams requires). Shapes are sampled
 * 8×8 times a pixel for smooth edges; pngjs encodes them. The output is the
 * same on every run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { parseCliArgs } from './cliArgs';
import { APP_PACKAGE_DIR, COLOR_ICON_SIZE, OUTLINE_ICON_SIZE } from './teamsApp';

type Inside = (x: number, y: number) => boolean;

/** A rectangle with corners rounded to radius r, from (x0, y0) to (x1, y1). */
function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Inside {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return dx * dx + dy * dy <= r * r;
  };
}

/** A triangle, given its corners in either winding. */
function triangle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Inside {
  const side = (px: number, py: number, qx: number, qy: number, x: number, y: number) => (qx - px) * (y - py) - (qy - py) * (x - px);
  return (x, y) => {
    const d1 = side(ax, ay, bx, by, x, y);
    const d2 = side(bx, by, cx, cy, x, y);
    const d3 = side(cx, cy, ax, ay, x, y);
    return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
  };
}

const any = (...shapes: Inside[]): Inside => (x, y) => shapes.some((s) => s(x, y));

/*
 * The glyph, on the 32-unit grid of the outline icon: a speech bubble from
 * (3, 4) to (29, 24) with a tail at its lower left, and three bars rising
 * from left to right on a common baseline.
 */
const bubble = roundedRect(3, 4, 29, 24, 4);
const bubbleInside = roundedRect(5, 6, 27, 22, 2);
const tail = triangle(8, 22, 8, 29, 15, 22);
const bars = any(roundedRect(8, 15, 12, 19, 0.5), roundedRect(14, 12, 18, 19, 0.5), roundedRect(20, 9, 24, 19, 0.5));

type Rgba = [number, number, number, number];

/** Renders size×size pixels; `sample` gives the colour at a point in pixel units. */
function render(size: number, samples: number, sample: (x: number, y: number) => Rgba): PNG {
  const png = new PNG({ width: size, height: size });
  const data = png.data;
  const n = samples * samples;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Average premultiplied colour over a regular grid of sub-pixel samples.
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [cr, cg, cb, ca] = sample(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      if (a === 0) {
        // Transparent pixels are white with alpha 0: no dark fringe when scaled.
        data.fill(255, i, i + 3);
        data[i + 3] = 0;
        continue;
      }
      data[i] = Math.round(r / a);
      data[i + 1] = Math.round(g / a);
      data[i + 2] = Math.round(b / a);
      data[i + 3] = Math.round((a / n) * 255);
    }
  }
  return png;
}

/** The accent colour of the manifest (#1E5A8A) at the centre, a little lighter at the top. */
function background(y: number, size: number): Rgba {
  const t = y / size; // 0 at the top, 1 at the bottom
  const top = [0x27, 0x6b, 0xa3], bottom = [0x17, 0x4b, 0x74];
  return [0, 1, 2].map((k) => top[k] + (bottom[k] - top[k]) * t).concat(1) as Rgba;
}

/** color.png: 192×192, the white glyph on a rounded blue square, bars cut out in blue. */
export function colorIcon(): PNG {
  const size = COLOR_ICON_SIZE;
  const square = roundedRect(0, 0, size, size, 40);
  const scale = 4.25;
  // Centre the glyph's box (3..29 × 4..29 grid units) in the icon.
  const gx = (x: number) => (x - size / 2) / scale + 16;
  const gy = (y: number) => (y - size / 2) / scale + 16.5;
  return render(size, 8, (x, y) => {
    if (!square(x, y)) return [0, 0, 0, 0];
    const ux = gx(x), uy = gy(y);
    if ((bubble(ux, uy) || tail(ux, uy)) && !bars(ux, uy)) return [255, 255, 255, 1];
    return background(y, size);
  });
}

/** outline.png: 32×32, the bubble's outline, tail and bars in white on transparent. */
export function outlineIcon(): PNG {
  const glyph = any((x, y) => bubble(x, y) && !bubbleInside(x, y), tail, bars);
  return render(OUTLINE_ICON_SIZE, 8, (x, y) => (glyph(x, y) ? [255, 255, 255, 1] : [255, 255, 255, 0]));
}

/**
 * How the icons are encoded: no row filter and zlib's default strategy at
 * level 9, which is smallest for these flat-coloured images (pngjs's own
 * defaults, adaptive filters and run-length strategy, make them 50-70% larger).
 */
export const PNG_OPTIONS = { filterType: 0, deflateLevel: 9, deflateStrategy: 0 } as const;

/** The icons as PNG files. */
export function iconFiles(): { 'color.png': Buffer; 'outline.png': Buffer } {
  return { 'color.png': PNG.sync.write(colorIcon(), { ...PNG_OPTIONS }), 'outline.png': PNG.sync.write(outlineIcon(), { ...PNG_OPTIONS }) };
}

export function writeIcons(dir = APP_PACKAGE_DIR): string[] {
  const out: string[] = [];
  for (const [name, data] of Object.entries(iconFiles())) {
    out.push(join(dir, name));
    writeFileSync(join(dir, name), data);
  }
  return out;
}

if (require.main === module) {
  parseCliArgs('usage: npm run icons   (writes appPackage/color.png and appPackage/outline.png)', {});
  for (const p of writeIcons()) console.log(`wrote ${p}`);
}
