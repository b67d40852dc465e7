import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/events';

export type PageSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A Socket.IO connection to this site, authenticated by the session cookie (ADR 034). A WebSocket
 * first: it is connected after one round trip, where long polling first takes three or four
 * HTTP requests (handshake, connect, the upgrade's probes), each a 562 ms round trip on slow 4G
 * and each holding one of the browser's six connections to the site while the page's scripts
 * still load. Where a WebSocket cannot be opened (a proxy refuses the upgrade), the same socket
 * falls back to long polling (`tryAllTransports`).
 */
export function openSocket(): PageSocket {
  return io({ withCredentials: true, transports: ['websocket', 'polling'], tryAllTransports: true });
}
