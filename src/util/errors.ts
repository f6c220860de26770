/** Base class of every error neurite raises on purpose. */
export class NeuriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor or weight had a shape other than the one an operation needs. */
export class ShapeError extends NeuriteError {}

/** An argument had the right shape but an invalid value (unknown id, NaN, out of range …). */
export class ValueError extends NeuriteError {}
