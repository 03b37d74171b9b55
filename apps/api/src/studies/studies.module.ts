import { Module } from '@nestjs/common';
import { TrainingJobsModule } from '../jobs/training-jobs.module';
import { StudiesController } from './studies.controller';
import { StudiesService } from './studies.service';

@Module({ imports: [TrainingJobsModule], controllers: [StudiesController], providers: [StudiesService] })
export class StudiesModule {}
