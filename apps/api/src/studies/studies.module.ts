import { Module } from '@nestjs/common';
import { TrainingJobsModule } from '../jobs/training-jobs.module';
import { LiveModule } from '../live/live.module';
import { StudyEventsController } from './study-events.controller';
import { StudiesController } from './studies.controller';
import { StudiesService } from './studies.service';

@Module({ imports: [TrainingJobsModule, LiveModule], controllers: [StudiesController, StudyEventsController], providers: [StudiesService] })
export class StudiesModule {}
