import { readFileSync } from 'node:fs';

const read = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/**
 * The load average when a bench starts and when it reports: on a shared machine with two cores, a figure taken at a
 * load above ~2 is a neighbour's as much as ours.
 */
export function loadAverage(): { report(): void } {
  const start = read();
  return {
    report: () => console.log(`\nload average (1, 5, 15 min) at start: ${start}; at end: ${read()}`),
  };
}
