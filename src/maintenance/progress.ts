import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number): void;
  increment(by?: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr (cli-progress), so stdout keeps only the command's summary. Without a
 * terminal it prints a plain line every few seconds instead of redrawing.
 */
export function progressBar(label: string): Progress {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 5000, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    increment: (by = 1) => bar.increment(by),
    stop: () => bar.stop(),
  };
}

/** For tests and libraries: no output. */
export const silentProgress: Progress = { start: () => {}, increment: () => {}, stop: () => {} };
