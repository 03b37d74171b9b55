/** A parameter's text for users, kept in its family's table so the generated reference cannot drift from it. */
export interface ParamText {
  /** What the parameter does, one or two sentences for someone training a model. */
  doc: string;
  /** What an unset parameter means when the table has no default for it (the engine's own value, say). */
  unset?: string;
}

/** The round count of the gradient-boosted families. */
export const BOOSTING_ROUNDS_DOC = 'Boosting rounds: each adds one tree (one per class for more than two classes).';

/** Early stopping of the boosted-tree families, which count rounds (the networks count epochs). */
export const EARLY_STOPPING_ROUNDS_DOC =
  'Stop once the validation loss has not improved for this many rounds, and keep the model as it was at its best round. Needs a validation split.';

/** The engine thread count of the tree families; the training step fills it in when a job leaves it unset. */
export const NTHREAD_DOC = 'Threads the engine trains with; 0 means every core of the worker.';
export const NTHREAD_UNSET = "the worker's cores ÷ `TRAINYARD_CPU_SLOTS`";

/** The table entries the reference can describe: every family's spec has one of these shapes, plus its text. */
export type DescribedSpec = ParamText &
  (
    | { kind: 'int' | 'number'; min: number; max: number; minInclusive?: boolean; maxInclusive?: boolean }
    | { kind: 'boolean' }
    | { kind: 'choice'; choices: readonly string[] }
    | { kind: 'intList'; min: number; max: number; maxLength: number }
  );

/** One row of a family's parameter reference (docs/model-parameters.md). */
export interface ParamDoc {
  name: string;
  /** The values validation accepts, e.g. "integer in [1, 100000]". */
  accepts: string;
  /** The value an unset parameter takes, or what unset means. */
  default: string;
  doc: string;
}

/** The reference rows of a parameter table, in table order, with defaults taken from the family's own defaults. */
export function describeTable(specs: Readonly<Record<string, DescribedSpec>>, defaults: object): ParamDoc[] {
  const values = defaults as Readonly<Record<string, unknown>>;
  return Object.entries(specs).map(([name, spec]) => ({
    name,
    accepts: accepted(spec),
    default: values[name] === undefined || values[name] === null ? (spec.unset ?? 'unset') : formatValue(values[name]),
    doc: spec.doc,
  }));
}

/** A value in code font, as a user writes it in JSON (strings without their quotes, as choices are shown). */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `\`${value}\``;
  if (Array.isArray(value)) return `\`[${value.map((v) => JSON.stringify(v)).join(', ')}]\``;
  return `\`${JSON.stringify(value)}\``;
}

function accepted(spec: DescribedSpec): string {
  switch (spec.kind) {
    case 'boolean':
      return '`true` or `false`';
    case 'choice':
      return `one of ${spec.choices.map((c) => `\`${c}\``).join(', ')}`;
    case 'intList':
      return `list of up to ${spec.maxLength} integers in [${spec.min}, ${spec.max}]`;
    default: {
      const low = spec.minInclusive === false ? `(${spec.min}` : `[${spec.min}`;
      const high = spec.max === Number.MAX_VALUE ? '∞)' : spec.maxInclusive === false ? `${spec.max})` : `${spec.max}]`;
      return `${spec.kind === 'int' ? 'integer' : 'number'} in ${low}, ${high}`;
    }
  }
}
