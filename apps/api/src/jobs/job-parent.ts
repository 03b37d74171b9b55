import type { EntityManager } from '@mikro-orm/postgresql';
import type { ModelType } from '@trainyard/contracts';
import { ModelAlias, ModelVersion, TrainingJob, type Dataset } from '@trainyard/db';
import { modelFamily, resolveEnsembleParams, resolveMlpParams, validateEnsembleParams } from '@trainyard/ml';
import { notFound, validationFailed, type FieldError } from '../common/api-error';
import type { ParsedJobRequest } from './training-job.dto';

type Spec = ParsedJobRequest['spec'];

/** The parent's newest version for `latest`, the alias holder's for an alias, else the version asked for. */
async function parentVersion(em: EntityManager, from: NonNullable<Spec['from']>): Promise<ModelVersion | null> {
  if (from.version !== undefined) return em.findOne(ModelVersion, { name: from.model, version: from.version });
  if (from.alias === 'latest') return em.findOne(ModelVersion, { name: from.model }, { orderBy: { version: 'desc' } });
  const alias = await em.findOne(ModelAlias, { modelName: from.model, alias: from.alias! });
  return alias ? em.findOne(ModelVersion, { name: from.model, version: alias.version }) : null;
}

/**
 * A run that builds on a parent (incremental, transfer, ensemble_update), checked at submit: the parent exists
 * (else 404 MODEL_NOT_FOUND), is of the job's family and kept its engine model, predicts the same target and task
 * (a transferred network may learn another), and the dataset has every column the parent reads, of a kind its plan
 * encodes. Whatever can only be known from the data (its class labels) is checked when the job preprocesses.
 */
export async function checkParent(em: EntityManager, spec: Spec, dataset: Pick<Dataset, 'name' | 'version' | 'columns'>, prefix = ''): Promise<void> {
  if (!spec.mode || spec.mode === 'full' || !spec.from) return;
  const from = spec.from;
  const version = await parentVersion(em, from);
  if (!version) throw notFound('MODEL', from.version !== undefined ? `${from.model} v${from.version}` : `${from.model}@${from.alias}`);
  const label = `${version.name} v${version.version}`;
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field: prefix + field, message });
  if (version.modelType !== spec.model.type) fail('model.type', `the parent ${label} is a ${version.modelType} model; mode ${spec.mode} continues it as ${version.modelType}`);
  if (!version.engineModel || !version.plan) fail('from', `${label} was registered before versions kept their engine model; train it again in full to build on it`);
  const parentJob = await em.findOne(TrainingJob, { id: version.jobId }, { fields: ['target'] });
  if (spec.mode !== 'transfer') {
    if (spec.task && spec.task !== version.task) fail('task', `the parent ${label} is a ${version.task} model; mode ${spec.mode} keeps its task`);
    if (parentJob && parentJob.target !== spec.target) fail('target', `the parent ${label} predicts "${parentJob.target}"; mode ${spec.mode} keeps its target`);
  }
  const columns = new Map(dataset.columns.map((c) => [c.name, c.type]));
  for (const input of version.signature.inputs) {
    const type = columns.get(input.name);
    if (type === undefined) fail('from', `the parent ${label} reads column "${input.name}", which dataset ${dataset.name} v${dataset.version} does not have`);
    else if ((type === 'string') !== (input.type === 'string')) fail('from', `the parent ${label} read "${input.name}" as ${input.type}; dataset ${dataset.name} v${dataset.version} has it as ${type}`);
  }
  if (spec.mode === 'ensemble_update' && spec.model.type === 'ensemble') errors.push(...ensembleUpdateErrors(spec, version, prefix));
  if (spec.mode === 'transfer' && (spec.freezeLayers ?? 0) > 0) {
    const below = spec.model.type === 'lstm' ? 1 : resolveMlpParams(version.lineage.params, false).hiddenLayers.length;
    if (spec.freezeLayers! > below) fail('freezeLayers', `the parent ${label} has ${below} layer${below === 1 ? '' : 's'} below its output`);
  }
  if (errors.length) throw validationFailed(errors);
}

/** The members to add fit beside the parent's, and need inputs encoded as the parent's were (raw or scaled). */
function ensembleUpdateErrors(spec: Spec, parent: ModelVersion, prefix: string): FieldError[] {
  const parentParams = parent.lineage.params;
  const members = resolveEnsembleParams(parentParams).members;
  const params = spec.model.params;
  const errors = validateEnsembleParams(params, { parentMembers: members.length }).map((e) => ({ field: `${prefix}model.params.${e.field}`, message: e.message }));
  const ensemble = modelFamily('ensemble' satisfies ModelType);
  const merged = { ...params, members: [...members, ...((params.members as unknown[]) ?? [])] };
  const scaled = (p: Record<string, unknown>) => ensemble.needsScaledInputsFor?.(p) ?? false;
  if (errors.length === 0 && scaled(merged) !== scaled(parentParams)) {
    errors.push({
      field: `${prefix}model.params.members`,
      message: `the parent ${parent.name} v${parent.version} was trained on ${scaled(parentParams) ? 'imputed, standardised' : 'raw'} inputs; linear and MLP members need imputed, standardised ones and trees take either, so add members that fit its inputs`,
    });
  }
  return errors;
}
