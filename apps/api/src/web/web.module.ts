import { Module } from '@nestjs/common';
import { MeController } from './me.controller';
import { WebAppController } from './web-app.controller';

/** The dashboard's static files and the small additive routes it needs. */
@Module({ controllers: [WebAppController, MeController] })
export class WebModule {}
