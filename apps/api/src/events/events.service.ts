import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { TrainyardEvent, type EventType } from '@trainyard/db';
import { validationFailed } from '../common/api-error';
import { UUID_PATTERN } from '../common/schemas';
import type { EventDto } from './events.dto';

@Injectable()
export class EventsService {
  constructor(private readonly em: EntityManager) {}

  /** Events after `after` (an event id), oldest first, for polling clients. */
  async list(query: { after?: string; limit: number; type?: EventType }): Promise<{ items: EventDto[] }> {
    let afterSeq = '0';
    if (query.after) {
      const anchor = UUID_PATTERN.test(query.after) ? await this.em.findOne(TrainyardEvent, { id: query.after }, { fields: ['seq'] }) : null;
      if (!anchor) throw validationFailed([{ field: 'after', message: 'not an event id of this tenant' }]);
      afterSeq = anchor.seq;
    }
    const items = await this.em.find(TrainyardEvent, { seq: { $gt: afterSeq }, ...(query.type ? { type: query.type } : {}) }, { orderBy: { seq: 'asc' }, limit: query.limit });
    return { items: items.map((e) => ({ eventId: e.id, type: e.type, timestamp: e.createdAt.toISOString(), data: e.data })) };
  }
}
