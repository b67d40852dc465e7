/**
 * The Socket.IO event contract, shared by the server and the browser (import only types and
 * constants from here). Event names are `entity:verb`. Every client→server event takes an
 * acknowledgement `Ack<T>`. See docs/realtime.md.
 */
export type Ack<T> = (
  response: { ok: true; data: T } | { ok: false; error: { code: string; message: string } },
) => void;

export interface ClientToServerEvents {
  /** Join a room. Anonymous clients may join public rooms only. */
  'room:join': (payload: { room: string }, ack: Ack<{ room: string }>) => void;
  'room:leave': (payload: { room: string }, ack: Ack<{ room: string }>) => void;
  /** Clock sync: the server answers with its time in ms since the epoch. */
  'time:sync': (payload: Record<string, never>, ack: Ack<{ serverTime: number }>) => void;
}

export interface ServerToClientEvents {
  /** Sent just before the server disconnects the sockets of a revoked or expired session. */
  'session:revoked': (payload: { reason: 'logout' | 'revoked' | 'expired' }) => void;
  /** A listing changed status (announced → live → ended, suspended, withdrawn ...). */
  'listing:status': (payload: { listingId: string; status: string; at: number }) => void;
}

export interface SocketData {
  userId: string | null;
  sessionId: string | null;
  organisationId: string | null;
  sessionExpiresAt: number | null;
}
