import { Module } from '@nestjs/common';
import { JobStreams } from '../jobs/job-stream';
import { StudyStreams } from '../studies/study-stream';
import { LiveListener } from './live-listener';

/** Live streams of jobs and studies over one LISTEN connection. */
@Module({
  providers: [LiveListener, JobStreams, StudyStreams],
  exports: [JobStreams, StudyStreams, LiveListener],
})
export class LiveModule {}
