/** `params` laid over `defaults`; a value left undefined or null means "the default", as every family reads it. */
export function overDefaults(defaults: Record<string, unknown>, params: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...defaults };
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) merged[k] = v;
  return merged;
}
