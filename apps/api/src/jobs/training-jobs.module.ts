import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { LiveModule } from '../live/live.module';
import { JobLogStream } from './job-log-stream';
import { TrainingJobsController } from './training-jobs.controller';
import { TrainingJobsService } from './training-jobs.service';

@Module({ imports: [ExperimentsModule, LiveModule], controllers: [TrainingJobsController], providers: [TrainingJobsService, JobLogStream], exports: [TrainingJobsService] })
export class TrainingJobsModule {}
