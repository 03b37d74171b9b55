import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module';
import { BatchPredictService } from '../serving/batch-predict.service';
import { PredictService } from '../serving/predict.service';
import { ModelsController } from './models.controller';
import { ModelDeletion } from './model-deletion';
import { ModelsService } from './models.service';

/** The registry and serving: versions, aliases, artifacts, predictions. */
@Module({ imports: [DatasetsModule], controllers: [ModelsController], providers: [ModelsService, ModelDeletion, PredictService, BatchPredictService] })
export class ModelsModule {}
