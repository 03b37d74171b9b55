/** A choice a categorical parameter can take; also what a condition compares against. */
export type CategoricalChoice = string | number | boolean;
export type ParamValue = CategoricalChoice;
export type ParamValues = Record<string, ParamValue>;

/** The parameter is active only when `param` (a categorical) takes one of `in`. */
export interface ParamCondition {
  param: string;
  in: CategoricalChoice[];
}

interface NumericParamSpec {
  low: number;
  high: number;
  step?: number;
  log?: boolean;
  condition?: ParamCondition;
}

export interface IntParamSpec extends NumericParamSpec {
  type: 'int';
}

export interface FloatParamSpec extends NumericParamSpec {
  type: 'float';
}

export interface CategoricalParamSpec {
  type: 'categorical';
  choices: CategoricalChoice[];
  condition?: ParamCondition;
}

export type NumericSpec = IntParamSpec | FloatParamSpec;
export type ParamSpec = NumericSpec | CategoricalParamSpec;
export type SearchSpace = Record<string, ParamSpec>;

export interface SearchSpaceIssue {
  field: string;
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isChoice = (v: unknown): v is CategoricalChoice => typeof v === 'string' || typeof v === 'boolean' || isFiniteNumber(v);

/** Whether `step` divides `high - low` into a whole number of steps, allowing for float rounding. */
export function stepDivides(low: number, high: number, step: number): boolean {
  const ratio = (high - low) / step;
  return Math.abs(ratio - Math.round(ratio)) <= 1e-9 * Math.max(1, Math.abs(ratio));
}

function numericIssues(name: string, p: Record<string, unknown>, issues: SearchSpaceIssue[]): void {
  const at = (key: string) => `searchSpace.${name}.${key}`;
  const { low, high, step, log } = p;
  const isInt = p.type === 'int';
  let boundsOk = true;
  for (const [key, v] of [['low', low], ['high', high]] as const) {
    if (!isFiniteNumber(v)) {
      issues.push({ field: at(key), message: `${key} must be a finite number` });
      boundsOk = false;
    } else if (isInt && !Number.isInteger(v)) {
      issues.push({ field: at(key), message: `${key} must be an integer for an int parameter` });
      boundsOk = false;
    }
  }
  if (log !== undefined && typeof log !== 'boolean') issues.push({ field: at('log'), message: 'log must be a boolean' });
  if (step !== undefined && (!isFiniteNumber(step) || step <= 0 || (isInt && !Number.isInteger(step)))) {
    issues.push({ field: at('step'), message: isInt ? 'step must be a positive integer' : 'step must be a positive number' });
    return;
  }
  if (!boundsOk) return;
  const lo = low as number;
  const hi = high as number;
  if (lo > hi) issues.push({ field: at('high'), message: `inverted range: high (${hi}) is below low (${lo})` });
  else if (!isInt && lo === hi) issues.push({ field: at('high'), message: `empty range: low and high are both ${lo}` });
  if (log === true && lo <= 0) issues.push({ field: at('low'), message: 'a log-scale parameter needs low > 0' });
  if (step !== undefined) {
    if (log === true && !(isInt && step === 1)) issues.push({ field: at('step'), message: 'step cannot be combined with log (except step 1 on an int)' });
    else if (lo <= hi && !stepDivides(lo, hi, step as number)) issues.push({ field: at('step'), message: `step ${step as number} does not divide high - low (${hi - lo})` });
  }
}

function categoricalIssues(name: string, p: Record<string, unknown>, issues: SearchSpaceIssue[]): void {
  const field = `searchSpace.${name}.choices`;
  if (!Array.isArray(p.choices)) return void issues.push({ field, message: 'choices must be an array' });
  if (p.choices.length === 0) return void issues.push({ field, message: 'choices must not be empty' });
  if (!p.choices.every(isChoice)) return void issues.push({ field, message: 'each choice must be a string, finite number or boolean' });
  if (new Set(p.choices).size !== p.choices.length) issues.push({ field, message: 'choices must be distinct' });
}

function conditionIssues(name: string, condition: unknown, space: Record<string, unknown>, issues: SearchSpaceIssue[]): void {
  const field = `searchSpace.${name}.condition`;
  if (!isRecord(condition) || typeof condition.param !== 'string' || !Array.isArray(condition.in)) {
    return void issues.push({ field, message: 'condition must be { param: string, in: [choices] }' });
  }
  const parent = space[condition.param];
  if (condition.param === name) return void issues.push({ field: `${field}.param`, message: 'a parameter cannot be conditional on itself' });
  if (!isRecord(parent)) return void issues.push({ field: `${field}.param`, message: `condition refers to unknown parameter "${condition.param}"` });
  if (parent.type !== 'categorical') return void issues.push({ field: `${field}.param`, message: `condition parameter "${condition.param}" must be categorical` });
  if (condition.in.length === 0) return void issues.push({ field: `${field}.in`, message: 'condition.in must not be empty' });
  const choices = Array.isArray(parent.choices) ? parent.choices : [];
  for (const v of condition.in) {
    if (!choices.includes(v)) issues.push({ field: `${field}.in`, message: `${JSON.stringify(v)} is not a choice of "${condition.param}"` });
  }
}

/** Parameters in an order where every condition's parameter comes before the parameters it governs; cycles are left out. */
function orderByConditions(space: Record<string, unknown>): { order: string[]; cyclic: string[] } {
  const names = Object.keys(space);
  const parentOf = (n: string): string | undefined => {
    const c = (space[n] as { condition?: unknown }).condition;
    return isRecord(c) && typeof c.param === 'string' && c.param in space ? c.param : undefined;
  };
  const order: string[] = [];
  const placed = new Set<string>();
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const n of names) {
      if (placed.has(n)) continue;
      const parent = parentOf(n);
      if (parent === undefined || placed.has(parent)) {
        order.push(n);
        placed.add(n);
        progressed = true;
      }
    }
  }
  return { order, cyclic: names.filter((n) => !placed.has(n)) };
}

/** Every problem with a search space, each with the field it is about; empty when the space is usable. */
export function validateSearchSpace(space: unknown, knownParams?: readonly string[]): SearchSpaceIssue[] {
  if (!isRecord(space)) return [{ field: 'searchSpace', message: 'searchSpace must be an object' }];
  const names = Object.keys(space);
  if (names.length === 0) return [{ field: 'searchSpace', message: 'searchSpace must define at least one parameter' }];
  const issues: SearchSpaceIssue[] = [];
  const known = knownParams ? new Set(knownParams) : undefined;
  for (const name of names) {
    const p = space[name];
    if (known && !known.has(name)) issues.push({ field: `searchSpace.${name}`, message: `unknown parameter "${name}"` });
    if (!isRecord(p)) {
      issues.push({ field: `searchSpace.${name}`, message: 'must be an object' });
      continue;
    }
    if (p.type === 'int' || p.type === 'float') numericIssues(name, p, issues);
    else if (p.type === 'categorical') categoricalIssues(name, p, issues);
    else issues.push({ field: `searchSpace.${name}.type`, message: 'type must be "int", "float" or "categorical"' });
    if (p.condition !== undefined) conditionIssues(name, p.condition, space, issues);
  }
  for (const name of orderByConditions(space).cyclic) {
    issues.push({ field: `searchSpace.${name}.condition`, message: `conditions form a cycle through "${name}"` });
  }
  return issues;
}

/** Parameter names with each condition's parameter before those it governs (the space must be valid). */
export function sampleOrder(space: SearchSpace): string[] {
  return orderByConditions(space).order;
}

/** Whether `spec` is active given the values already chosen for the parameters before it in sampleOrder. */
export function isActive(spec: ParamSpec, chosen: Readonly<Record<string, unknown>>): boolean {
  const c = spec.condition;
  if (!c) return true;
  const v = chosen[c.param];
  return v !== undefined && c.in.some((x) => x === v);
}
