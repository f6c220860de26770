import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Shape } from '../layer.js';

/** Amounts at the four sides of an image: `[[top, bottom], [left, right]]`. */
export type Box2D = [[number, number], [number, number]];

/** How ZeroPadding2D / Cropping2D accept amounts: one number, `[h, w]` (symmetric), or `[[top, bottom], [left, right]]`. */
export type Box2DSpec = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/** Reads a box spec (non-negative integers); `what` names the option in the message. */
export function readBox2D(spec: unknown, what: string): Box2D {
  const nonNeg = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
  if (nonNeg(spec)) return [[spec as number, spec as number], [spec as number, spec as number]];
  if (Array.isArray(spec) && spec.length === 2 && spec.every(nonNeg)) return [[spec[0], spec[0]], [spec[1], spec[1]]];
  if (Array.isArray(spec) && spec.length === 2 && spec.every((p) => Array.isArray(p) && p.length === 2 && p.every(nonNeg))) {
    return [[spec[0][0], spec[0][1]], [spec[1][0], spec[1][1]]];
  }
  throw new ValueError(`${what}: expected a non-negative integer, [height, width] or [[top, bottom], [left, right]], received ${JSON.stringify(spec)}`);
}

/** Checks an NHWC input of rank 4; `who` names the layer. */
export function checkImageShape(shape: Shape, who: string): void {
  if (shape.length !== 4) throw new ShapeError(`${who}: expected an NHWC input of rank 4 [batch, height, width, channels], received ${formatShape(shape)}`);
}
