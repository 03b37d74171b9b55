import { Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Endpoint, In, type Input } from '../common/endpoint';
import { studyEvents } from './studies.dto';
import { StudiesService } from './studies.service';
import { StudyStreams } from './study-stream';

@Controller()
export class StudyEventsController {
  constructor(
    private readonly studies: StudiesService,
    private readonly streams: StudyStreams,
  ) {}

  /** A live stream of the study's trials; another tenant's study is a 404 before anything is streamed. */
  @Endpoint(studyEvents)
  async events(@In() { params }: Input<typeof studyEvents>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const study = await this.studies.get(params.id);
    await this.streams.serve(study.id, req, res);
  }
}
