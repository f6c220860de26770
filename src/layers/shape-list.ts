import type { Shape, Shapes } from './layer.js';

/** True when `shapes` holds one shape per input rather than one shape. */
export function isShapeList(shapes: Shapes): shapes is Shape[] {
  return shapes.length > 0 && Array.isArray(shapes[0]);
}
