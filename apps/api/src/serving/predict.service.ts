import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { TrainyardConfig } from '@trainyard/config';
import type { StoredObject } from '@trainyard/contracts';
import { ModelAlias, ModelVersion, currentTenant } from '@trainyard/db';
import { rawInputFeeds, type PreprocessPlan } from '@trainyard/ml';
import { ArtifactCorruptError, ObjectNotFoundError, type Storage } from '@trainyard/storage';
import type { PredictionsDto } from '../models/models.dto';
import { ApiError, notFound, validationFailed } from '../common/api-error';
import { LATEST } from '../common/schemas';
import { CONFIG, STORAGE } from '../config.token';
import { ModelVersionLookups } from './model-version-lookups';
import { validateRecords } from './record-validation';
import { SessionCache } from './session-cache';

/** Which version to use: a number, an alias, or neither (alias production, else the latest). */
export interface ModelSelector {
  version?: number;
  alias?: string;
}

export type Prediction = { label: string; probabilities: Record<string, number> } | { value: number };

const DEFAULT_ALIAS = 'production';

/** Scores raw records with a registered model; sessions and plans are cached across requests. */
@Injectable()
export class PredictService implements OnModuleDestroy {
  private readonly sessions: SessionCache;
  private readonly plans = new Map<string, Promise<PreprocessPlan>>();

  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    private readonly lookups: ModelVersionLookups,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {
    this.sessions = new SessionCache(config.servingCacheBytes);
  }

  async onModuleDestroy(): Promise<void> {
    await this.sessions.clear();
  }

  /** version, else alias (`latest`: the newest version), else `production`, else the newest version. */
  async resolve(name: string, request: ModelSelector): Promise<ModelVersion> {
    const where = { name };
    const tenantId = currentTenant(this.em);
    if (request.version !== undefined) {
      if (!Number.isInteger(request.version)) throw validationFailed([{ field: 'version', message: 'must be an integer' }]);
      const number = request.version as number;
      const v = await this.lookups.resolve(tenantId, name, `v${number}`, () => this.em.findOne(ModelVersion, { ...where, version: number }));
      if (!v) throw notFound('MODEL', `${name} v${String(request.version)}`);
      return v;
    }
    if (request.alias !== undefined && typeof request.alias !== 'string') throw validationFailed([{ field: 'alias', message: 'must be a string' }]);
    const named = request.alias as string | undefined;
    const v = await this.lookups.resolve(tenantId, name, named === undefined ? '@default' : `@${named}`, async () => {
      if (named === LATEST) return this.em.findOne(ModelVersion, where, { orderBy: { version: 'desc' } });
      const alias = await this.em.findOne(ModelAlias, { modelName: name, alias: named ?? DEFAULT_ALIAS });
      if (!alias && named !== undefined) return null;
      return alias
        ? this.em.findOne(ModelVersion, { ...where, version: alias.version })
        : this.em.findOne(ModelVersion, where, { orderBy: { version: 'desc' } });
    });
    if (!v) throw notFound('MODEL', named === undefined ? name : `${name}@${named}`);
    return v;
  }

  async predict(name: string, request: ModelSelector & { records: unknown[] }): Promise<PredictionsDto> {
    const version = await this.resolve(name, request);
    const records = validateRecords(request.records, version.signature);
    const { plan, session } = await this.loaded(version);
    const out = await session.run(rawInputFeeds(plan, records));
    return { model: { name: version.name, version: version.version }, predictions: this.decode(version, out, records.length) };
  }

  /** The cached session and plan of a servable version; the artifact is checked against its sha256 when loaded. */
  async loaded(version: ModelVersion): Promise<{ plan: PreprocessPlan; session: Awaited<ReturnType<SessionCache['get']>> }> {
    const planObject = version.plan ?? (await this.adoptLegacyPlan(version));
    const [plan, session] = await Promise.all([this.plan(version, planObject), this.sessions.get(version.sha256, () => this.artifact(version))]);
    return { plan, session };
  }

  /**
   * Versions registered before the object store kept their plan beside the ONNX file (`artifacts/ab/<sha>.plan.json`)
   * and recorded no digest for it: the first use hashes it and records it, so later reads are checked.
   */
  private async adoptLegacyPlan(version: ModelVersion): Promise<StoredObject> {
    const key = version.artifact.key.startsWith('artifacts/') ? version.artifact.key.replace(/\.onnx$/, '.plan.json') : null;
    const object = key ? await this.storage.adopt(key) : null;
    if (!object) throw new ApiError('MODEL_NOT_SERVABLE', `${version.name} v${version.version} was registered without a preprocessing plan; retrain it to serve it`);
    await this.em.nativeUpdate(ModelVersion, { id: version.id }, { plan: object });
    version.plan = object;
    return object;
  }

  /** The version's ONNX file, checked: a file the store no longer holds, or one that fails its check, is a 409. */
  async artifact(version: ModelVersion): Promise<Buffer> {
    try {
      return await this.storage.readBytes(version.artifact);
    } catch (err) {
      if (err instanceof ArtifactCorruptError) throw new ApiError('ARTIFACT_CORRUPT', `${version.name} v${version.version}: ${err.message}`);
      if (err instanceof ObjectNotFoundError) throw new ApiError('MODEL_NOT_SERVABLE', `${version.name} v${version.version}: its ONNX file is missing from the store`);
      throw err;
    }
  }

  private plan(version: ModelVersion, object: StoredObject): Promise<PreprocessPlan> {
    let plan = this.plans.get(version.sha256);
    if (!plan) {
      plan = this.storage.readBytes(object).then((bytes) => JSON.parse(bytes.toString('utf8')) as PreprocessPlan);
      plan.catch(() => this.plans.delete(version.sha256));
      this.plans.set(version.sha256, plan);
    }
    return plan;
  }

  private decode(version: ModelVersion, out: Record<string, { data: unknown }>, rows: number): Prediction[] {
    const predictions = new Array<Prediction>(rows);
    if (version.task === 'regression') {
      const values = out.variable.data as Float32Array;
      for (let i = 0; i < rows; i++) predictions[i] = { value: values[i] };
      return predictions;
    }
    const probabilities = out.probabilities.data as Float32Array;
    const k = probabilities.length / rows;
    const labels = Array.from({ length: k }, (_, c) => version.signature.classLabels?.[c] ?? String(c));
    for (let i = 0; i < rows; i++) {
      const byLabel: Record<string, number> = {};
      let best = 0;
      for (let c = 0; c < k; c++) {
        const p = probabilities[i * k + c];
        byLabel[labels[c]] = p;
        if (p > probabilities[i * k + best]) best = c;
      }
      predictions[i] = { label: labels[best], probabilities: byLabel };
    }
    return predictions;
  }
}
