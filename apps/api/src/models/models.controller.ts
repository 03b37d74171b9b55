import { Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint, In, type Input } from '../common/endpoint';
import { BatchPredictService } from '../serving/batch-predict.service';
import { PredictService } from '../serving/predict.service';
import { aliasEvents, batchPredict, deleteAlias, deleteModel, deleteVersion, getArtifact, getModel, getVersion, listModels, listVersions, predict, setAlias, updateVersion } from './models.dto';
import { ModelDeletion } from './model-deletion';
import { ModelsService } from './models.service';

@Controller()
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly predictor: PredictService,
    private readonly batch: BatchPredictService,
    private readonly deletion: ModelDeletion,
  ) {}

  @Endpoint(listModels)
  list(@In() { query }: Input<typeof listModels>) {
    return this.models.list(query);
  }

  @Endpoint(getModel)
  get(@In() { params }: Input<typeof getModel>) {
    return this.models.get(params.name);
  }

  @Endpoint(listVersions)
  versions(@In() { params, query }: Input<typeof listVersions>) {
    return this.models.versions(params.name, query);
  }

  @Endpoint(getVersion)
  version(@In() { params }: Input<typeof getVersion>) {
    return this.models.versionResponse(params.name, params.version);
  }

  @Endpoint(updateVersion)
  updateVersion(@In() { params, body }: Input<typeof updateVersion>) {
    return this.models.updateVersion(params.name, params.version, body);
  }

  @Endpoint(getArtifact)
  artifact(@In() { params }: Input<typeof getArtifact>, @Req() req: Request, @Res() res: Response) {
    return this.models.sendArtifact(params.name, params.version, req, res);
  }

  @Endpoint(predict)
  predict(@In() { params, body }: Input<typeof predict>) {
    return this.predictor.predict(params.name, body);
  }

  @Endpoint(batchPredict)
  batchPredict(@In() { params }: Input<typeof batchPredict>, @Req() req: Request, @Res() res: Response) {
    return this.batch.respond(params.name, req, res);
  }

  @Endpoint(aliasEvents)
  aliasEvents(@In() { params, query }: Input<typeof aliasEvents>) {
    return this.models.aliasEvents(params.name, query);
  }

  @Endpoint(setAlias)
  setAlias(@CurrentPrincipal() principal: Principal, @In() { params, body }: Input<typeof setAlias>) {
    return this.models.setAlias(principal, params.name, params.alias, body.version, body.reason ?? null);
  }

  @Endpoint(deleteAlias)
  deleteAlias(@CurrentPrincipal() principal: Principal, @In() { params }: Input<typeof deleteAlias>) {
    return this.models.deleteAlias(principal, params.name, params.alias);
  }

  @Endpoint(deleteVersion)
  deleteVersion(@CurrentPrincipal() principal: Principal, @In() { params }: Input<typeof deleteVersion>) {
    return this.deletion.deleteVersion(principal, params.name, params.version);
  }

  @Endpoint(deleteModel)
  deleteModel(@CurrentPrincipal() principal: Principal, @In() { params }: Input<typeof deleteModel>) {
    return this.deletion.deleteModel(principal, params.name);
  }
}
