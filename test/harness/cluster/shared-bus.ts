import type { Bus } from '../../../core/bus/bus.js';

/**
 * The in-process bus is the server and every client at once: each process of a stack gets this view
 * of it, whose `close` leaves the bus running for the others (as closing one NATS connection does).
 */
export function sharedBus(bus: Bus): Bus {
  return {
    publishJob: (node, data) => bus.publishJob(node, data),
    nextJob: (node, waitMs) => bus.nextJob(node, waitMs),
    consume: (node, handler, options) => bus.consume(node, handler, options),
    onDeadJob: (handler) => bus.onDeadJob(handler),
    publish: (subject, data) => bus.publish(subject, data),
    subscribe: (subject, handler) => bus.subscribe(subject, handler),
    keyValue: (bucket) => bus.keyValue(bucket),
    roundTrip: (timeoutMs) => bus.roundTrip(timeoutMs),
    close: async () => undefined,
  };
}
