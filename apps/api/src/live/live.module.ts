import { Module } from '@nestjs/common';
import { JobStreams } from '../jobs/job-stream';
import { StudyEventsController } from '../studies/study-events.controller';
import { StudyStreams } from '../studies/study-stream';
import { LiveListener } from './live-listener';

/** Live streams of jobs and studies over one LISTEN connection. */
@Module({
  controllers: [StudyEventsController],
  providers: [LiveListener, JobStreams, StudyStreams],
  exports: [JobStreams, LiveListener],
})
export class LiveModule {}
