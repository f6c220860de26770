/** Values shown after the bar, in display order (`loss` first, then metrics, then `val_` ones). */
export type Logs = Record<string, number>;

/** Width of the bar between the brackets, as Keras's progress bar. */
export const BAR_WIDTH = 30;

/** `Epoch 3/100`. `epoch` counts from 0, as in callbacks. */
export function formatEpochHeader(epoch: number, epochs: number): string {
  return `Epoch ${epoch + 1}/${epochs}`;
}

/**
 * `12/32 [==========>...................]`: the step count right-aligned to the target's width, `=` for
 * the done part with `>` as its head while running, `.` for the rest.
 */
export function formatBar(current: number, target: number | null, width = BAR_WIDTH): string {
  // Keras, for a dataset of unknown size: the count alone until the first epoch has counted the steps.
  if (target === null) return `${current}/Unknown`;
  const digits = String(target).length;
  const done = target > 0 ? Math.floor((width * Math.min(current, target)) / target) : width;
  let bar = '';
  if (done > 0) bar = '='.repeat(done - 1) + (current < target ? '>' : '=');
  return `${String(current).padStart(digits)}/${target} [${bar}${'.'.repeat(width - done)}]`;
}

/** A metric value as Keras prints it: 4 decimals, or 4-digit scientific when |v| <= 1e-3 (so small losses stay visible). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value).toLowerCase();
  if (Math.abs(value) > 1e-3) return value.toFixed(4);
  // Two exponent digits as printf's %.4e: 1.2346e-04.
  return value.toExponential(4).replace(/e([+-])(\d)$/, (_, sign: string, digit: string) => `e${sign}0${digit}`);
}

/** ` - loss: 0.6931 - accuracy: 0.5200` (empty when there is nothing to show). */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([key, value]) => ` - ${key}: ${formatValue(value)}`)
    .join('');
}

/** Remaining time as Keras shows it: `7s`, `2:05`, `1:02:05`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s >= 3600) return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${pad(s % 60)}`;
  return `${s}s`;
}

/** Time per step with a readable unit: `2s/step`, `31ms/step`, `250us/step`. */
export function formatPerStep(secondsPerStep: number): string {
  if (secondsPerStep >= 1 || secondsPerStep === 0) return `${Math.round(secondsPerStep)}s/step`;
  if (secondsPerStep >= 1e-3) return `${Math.round(secondsPerStep * 1e3)}ms/step`;
  return `${Math.round(secondsPerStep * 1e6)}us/step`;
}

/**
 * The bar while an epoch runs: `12/32 [=====>....] - ETA: 3s - loss: 0.6931` (`12/Unknown` for a dataset
 * of unknown size). `elapsed` in seconds. With `maxWidth` (a terminal's columns), the line is fitted to it by `fitLine`.
 */
export function renderRunningLine(current: number, target: number | null, elapsed: number, logs: Logs, maxWidth = Infinity): string {
  if (target === null) return fitLine(current, null, ` - ${Math.round(elapsed)}s`, logs, maxWidth);
  const eta = current > 0 ? (elapsed / current) * (target - current) : 0;
  return fitLine(current, target, ` - ETA: ${formatEta(eta)}`, logs, maxWidth);
}

/** What replaces the metrics that did not fit. */
export const ELLIPSIS = ' - …';

/**
 * The bar line `count [bar]` + `tail` + metrics, at most `maxWidth` characters. While it is too long the
 * metrics go first, from the right, replaced by ` - …`; only then does the bar shrink (down to nothing);
 * as a last resort the line is cut.
 */
export function fitLine(current: number, target: number | null, tail: string, logs: Logs, maxWidth: number): string {
  const items = Object.entries(logs).map(([key, value]) => ` - ${key}: ${formatValue(value)}`);
  const head = formatBar(current, target) + tail;
  const full = head + items.join('');
  if (full.length <= maxWidth) return full;
  for (let keep = items.length - 1; keep >= 0; keep--) {
    const line = head + items.slice(0, keep).join('') + ELLIPSIS;
    if (line.length <= maxWidth) return line;
  }
  const fixed = formatBar(current, target, 0).length + tail.length + (items.length > 0 ? ELLIPSIS.length : 0);
  const bar = Math.max(0, Math.min(BAR_WIDTH, maxWidth - fixed));
  const line = formatBar(current, target, bar) + tail + (items.length > 0 ? ELLIPSIS : '');
  return line.length <= maxWidth ? line : line.slice(0, Math.max(0, maxWidth));
}

/**
 * The final line of an epoch for verbose 1: `32/32 [====…====] - 1s 31ms/step - loss: … - val_loss: …`
 * (`current` < `target` when training stopped early).
 */
export function renderEpochLine(current: number, target: number | null, elapsed: number, logs: Logs): string {
  const perStep = current > 0 ? elapsed / current : 0;
  return `${formatBar(current, target)} - ${Math.round(elapsed)}s ${formatPerStep(perStep)}${formatLogs(logs)}`;
}

/** The one line of an epoch for verbose 2: `32/32 - 1s - loss: … - val_loss: … - 980ms/epoch - 31ms/step`. */
export function renderEpochSummary(current: number, target: number | null, elapsed: number, logs: Logs): string {
  const perStep = current > 0 ? elapsed / current : 0;
  return `${current}/${target ?? 'Unknown'} - ${Math.round(elapsed)}s${formatLogs(logs)} - ${Math.round(elapsed * 1e3)}ms/epoch - ${formatPerStep(perStep)}`;
}
