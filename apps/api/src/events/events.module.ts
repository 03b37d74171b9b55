import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { WebhooksService } from './webhooks.service';

@Module({ controllers: [EventsController], providers: [EventsService, WebhooksService] })
export class EventsModule {}
