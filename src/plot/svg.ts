import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Series colours (a colour-blind-safe categorical palette). */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

/** `<`, `>`, `&` and quotes escaped for text and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Attribute value: numbers rounded to 2 decimals (smaller files, same picture). */
function attrValue(v: string | number): string {
  return typeof v === 'number' ? String(Math.round(v * 100) / 100) : escapeXml(v);
}

/** One element: `el('rect', { x: 1 })` → `<rect x="1"/>`; children are already-rendered markup. */
export function el(name: string, attrs: Record<string, string | number>, children = ''): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${attrValue(v)}"`)
    .join('');
  return children === '' ? `<${name}${a}/>` : `<${name}${a}>${children}</${name}>`;
}

/** A `<text>` element with escaped content; `anchor` start / middle / end. */
export function text(x: number, y: number, content: string, attrs: Record<string, string | number> = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(content));
}

/** A standalone SVG document (white background, sans-serif), `width` × `height` pixels. */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="Helvetica, Arial, sans-serif" font-size="12">` +
    `<title>${escapeXml(title)}</title>` +
    el('rect', { width, height, fill: '#ffffff' }) +
    body +
    `</svg>\n`
  );
}

/** Writes `content` to `path` via a temporary file and a rename (no half-written file); returns the absolute path. */
export function writeSvgFile(path: string, content: string): string {
  const full = resolve(path);
  const tmp = `${full}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, full);
  return full;
}
