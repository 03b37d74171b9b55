import { Module } from '@nestjs/common';
import { DatasetsController } from './datasets.controller';
import { DatasetsService } from './datasets.service';
import { DatasetProfileController } from '../web/dataset-profile.controller';

@Module({ controllers: [DatasetsController, DatasetProfileController], providers: [DatasetsService], exports: [DatasetsService] })
export class DatasetsModule {}
