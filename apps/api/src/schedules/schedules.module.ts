import { Module } from '@nestjs/common';
import { TrainingJobsModule } from '../jobs/training-jobs.module';
import { SchedulesController } from './schedules.controller';
import { SchedulesService } from './schedules.service';

@Module({ imports: [TrainingJobsModule], controllers: [SchedulesController], providers: [SchedulesService] })
export class SchedulesModule {}
