import { Router } from 'express';
import type { EventStream } from '@wormhole/interfaces';
import { ValidationError, eventPublishedEvent } from '@wormhole/interfaces';
import { readCloudEvents } from '../engine/cloud-events';
import { parsedBody } from '../http/body';
import { tenantOf } from '../http/tenant';

const SOURCE = 'wormhole/api';

/**
 * `POST /events`: CloudEvents for the tenant's listening executions. Each is published to the
 * tenant's event stream before the answer, so a 202 means the event is durable in the transport;
 * the worker's router delivers it to the listens that match.
 */
export function eventRoutes(stream: EventStream): Router {
  const router = Router({ mergeParams: true });
  router.post('/events', async (req, res) => {
    const { format, value } = parsedBody(req);
    if (format === 'yaml') throw new ValidationError('events are sent as JSON (application/cloudevents+json)');
    const events = readCloudEvents(value);
    const tenant = tenantOf(res);
    for (const event of events) await stream.publish(eventPublishedEvent(tenant, event, SOURCE));
    res.status(202).json({ accepted: events.length });
  });
  return router;
}
