/** Largest WebSocket message either side accepts; a report travels as findings, not as one message. */
export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;
/** NATS' default max_payload is 1 MiB; jobs and events stay well under it. */
export const MAX_BUS_MESSAGE_BYTES = 512 * 1024;
export const PROTOCOL_VERSION = 1;
