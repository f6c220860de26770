// Lines of TypeScript per folder of src/ (and tests/), so growth is visible in CI output.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function count(dir) {
  let files = 0;
  let lines = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      const c = count(p);
      files += c.files;
      lines += c.lines;
    } else if (p.endsWith('.ts')) {
      files++;
      lines += readFileSync(p, 'utf8').split('\n').length;
    }
  }
  return { files, lines };
}

const rows = [];
for (const top of ['src', 'tests', 'examples', 'bench']) {
  let entries;
  try {
    entries = readdirSync(top);
  } catch {
    continue;
  }
  for (const name of entries) {
    const p = join(top, name);
    if (statSync(p).isDirectory()) rows.push([p, count(p)]);
  }
  const total = count(top);
  rows.push([`${top} (total)`, total]);
}
for (const [name, { files, lines }] of rows) console.log(`${name.padEnd(28)} ${String(files).padStart(4)} files ${String(lines).padStart(7)} lines`);
