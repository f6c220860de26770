import { ValueError } from './errors.js';

/**
 * Refuses an option the caller does not know, so a misspelt or unsupported option is never silently
 * ignored. `op` names the constructor or function (`'Dense'`, `'Adam'`); the message lists the known keys.
 * Keys whose value is `undefined` are allowed (spreading partial options is common).
 */
export function checkOptionKeys(options: unknown, known: readonly string[], op: string, listing = 'the options are'): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${op}: expected an options object, received ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] === undefined) continue;
    if (!known.includes(key)) {
      const list = known.length <= 40 ? known.map((k) => `'${k}'`).join(', ') : `${known.slice(0, 40).join(', ')} …`;
      throw new ValueError(`${op}: unknown option '${key.slice(0, 60)}'; ${listing} ${list}`);
    }
  }
}
