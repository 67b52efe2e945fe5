import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { AvfError } from '../domain/errors';
import type { EventsPort } from '../domain/ports/aws';
import type { ClientFactory } from './clients';
import { call } from './errors';

/** PutEvents takes at most 10 entries a call. */
const MAX_ENTRIES = 10;

/** The factory's own events on an EventBridge bus in the home region. */
export class EventBridgeAdapter implements EventsPort {
  private readonly client: EventBridgeClient;

  constructor(clients: ClientFactory) {
    this.client = clients.eventBridge();
  }

  /** events:PutEvents — an entry AWS rejects is an error naming it. */
  async publish(busName: string, events: Array<{ detailType: string; detail: object }>): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_ENTRIES) {
      const chunk = events.slice(i, i + MAX_ENTRIES);
      const out = await call('events:PutEvents', () =>
        this.client.send(
          new PutEventsCommand({
            Entries: chunk.map((e) => ({
              EventBusName: busName,
              Source: 'avf',
              DetailType: e.detailType,
              Detail: JSON.stringify(e.detail),
            })),
          }),
        ),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const first = out.Entries?.find((e) => e.ErrorCode);
        throw new AvfError(
          'EVENTS_REJECTED',
          `EventBridge rejected ${out.FailedEntryCount} event(s) on ${busName}: ${first?.ErrorCode ?? ''} ${first?.ErrorMessage ?? ''}`,
          { retryable: true },
        );
      }
    }
  }
}
