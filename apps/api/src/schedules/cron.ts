/** The five fields of a cron expression, with their ranges and the names Temporal accepts. */
const FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day-of-week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

function value(token: string, field: (typeof FIELDS)[number]): number | null {
  const named = field.names?.indexOf(token.toLowerCase()) ?? -1;
  if (named >= 0) return named + (field.name === 'month' ? 1 : 0);
  if (!/^\d{1,2}$/.test(token)) return null;
  const n = Number(token);
  return n >= field.min && n <= field.max ? n : null;
}

/** Why `cron` is not a five-field expression within range, or null when it is. */
export function cronProblem(cron: string): string | null {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return 'five fields: minute hour day-of-month month day-of-week';
  for (let i = 0; i < 5; i++) {
    const field = FIELDS[i];
    for (const item of parts[i].split(',')) {
      const [range, step, extra] = item.split('/');
      if (extra !== undefined || (step !== undefined && !(/^\d{1,3}$/.test(step) && Number(step) >= 1))) return `${field.name}: "${item}" has an invalid step`;
      if (range === '*') continue;
      const [from, to, more] = range.split('-');
      const a = value(from, field);
      const b = to === undefined ? a : value(to, field);
      if (more !== undefined || a === null || b === null || a > b) return `${field.name}: "${item}" is outside ${field.min}-${field.max}`;
    }
  }
  return null;
}
