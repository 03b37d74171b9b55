import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module';
import { BatchPredictService } from '../serving/batch-predict.service';
import { PredictService } from '../serving/predict.service';
import { ModelsController } from './models.controller';
import { ModelsService } from './models.service';

/** The registry and serving: versions, aliases, artifacts, predictions. */
@Module({ imports: [DatasetsModule], controllers: [ModelsController], providers: [ModelsService, PredictService, BatchPredictService] })
export class ModelsModule {}
