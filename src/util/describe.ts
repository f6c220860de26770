// Bounded renderings of untrusted values for error messages. JSON.stringify is unsafe here: it
// throws on a BigInt, recurses without limit (a stack overflow on deep input) and can return
// megabytes; these helpers look at most a few levels down and a few items across.

/** The longest error message neurite builds from file contents or arguments. */
export const MAX_MESSAGE_LENGTH = 2000;

const ITEMS_SHOWN = 8;
const LEVELS_SHOWN = 3;

/** `text` cut to `max` characters, with how much was left out. */
export function capText(text: string, max: number = MAX_MESSAGE_LENGTH): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(max - 30, 10))}… (${text.length - max + 30} more characters)`;
}

function render(v: unknown, level: number): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `${v}n (a BigInt)`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (Array.isArray(v)) {
    if (level >= LEVELS_SHOWN) return v.length === 0 ? '[]' : '[…]';
    const items = v.slice(0, ITEMS_SHOWN).map((x) => render(x, level + 1));
    if (v.length > ITEMS_SHOWN) items.push(`… ${v.length - ITEMS_SHOWN} more`);
    return `[${items.join(',')}]`;
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return `a ${typeof proto?.constructor?.name === 'string' ? proto.constructor.name : 'class'} instance`;
    const keys = Object.keys(v);
    if (level >= LEVELS_SHOWN) return keys.length === 0 ? '{}' : '{…}';
    const items = keys.slice(0, ITEMS_SHOWN).map((k) => `${JSON.stringify(k.slice(0, 40))}:${render((v as Record<string, unknown>)[k], level + 1)}`);
    if (keys.length > ITEMS_SHOWN) items.push(`… ${keys.length - ITEMS_SHOWN} more keys`);
    return `{${items.join(',')}}`;
  }
  return typeof v;
}

/**
 * A short description of any value for a message: JSON.stringify's text for small plain data, at most
 * three levels deep and eight items wide, `2n (a BigInt)` for BigInts, `NaN` for NaN; never throws,
 * at most `max` characters.
 * @example describeValue([1, [2, [3, [4]]]]); // '[1,[2,[3,[…]]]]'
 */
export function describeValue(v: unknown, max = 120): string {
  try {
    return capText(render(v, 0), max);
  } catch {
    // A hostile getter or proxy: say nothing about its contents.
    return typeof v;
  }
}
