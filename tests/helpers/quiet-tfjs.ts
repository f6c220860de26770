// TF.js's cpu backend warns once per process that tfjs-node would be faster; that banner is noise in the
// test output (TF.js is only the oracle here), so it alone is filtered out.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('install our node backend')) return;
  warn(...args);
};
