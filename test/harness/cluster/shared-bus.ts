import type { Bus, EventConsumer } from '../../../core/bus/bus.js';

/**
 * The in-process bus is the server and every client at once: each process of a stack gets this view
 * of it, whose `close` leaves the bus running for the others (as closing one NATS connection does) but
 * stops this view's event consumers (their unacked events go to whoever consumes next).
 */
export function sharedBus(bus: Bus): Bus {
  const eventConsumers = new Set<EventConsumer>();
  const tails = new Set<() => void>();
  return {
    publishJob: (node, data) => bus.publishJob(node, data),
    nextJob: (node, waitMs) => bus.nextJob(node, waitMs),
    consume: (node, handler, options) => bus.consume(node, handler, options),
    onDeadJob: (handler) => bus.onDeadJob(handler),
    publish: (subject, data) => bus.publish(subject, data),
    publishEvent: (subject, data, eventId) => bus.publishEvent(subject, data, eventId),
    consumeEvents: async (durable, handler, options) => {
      const consumer = await bus.consumeEvents(durable, handler, options);
      eventConsumers.add(consumer);
      return consumer;
    },
    recentEvents: (sinceMs, limit) => bus.recentEvents(sinceMs, limit),
    tailEvents: async (from, handler) => {
      const stop = await bus.tailEvents(from, handler);
      tails.add(stop);
      return stop;
    },
    subscribe: (subject, handler) => bus.subscribe(subject, handler),
    request: (subject, data, timeoutMs) => bus.request(subject, data, timeoutMs),
    serve: (subject, handler) => bus.serve(subject, handler),
    keyValue: (bucket) => bus.keyValue(bucket),
    roundTrip: (timeoutMs) => bus.roundTrip(timeoutMs),
    close: async () => {
      await Promise.all([...eventConsumers].map((c) => c.stop()));
      eventConsumers.clear();
      for (const stop of tails) stop();
      tails.clear();
    },
  };
}
