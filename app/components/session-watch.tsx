import { useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/events';

/**
 * Keeps a signed-in page honest about its session (ADR 024): the server tells every socket of a
 * session that ends (logout elsewhere, an admin ending the sessions or disabling the account,
 * a password reset) with `session:revoked`, and the page goes to the login page at once instead
 * of showing data its reader may no longer see. One socket per page, only while signed in.
 */
export function SessionWatch({ userId }: { userId: string }) {
  const navigation = useNavigation();
  // This page's own logout ends the session too: its redirect is already on the way.
  const loggingOut = useRef(false);
  loggingOut.current = navigation.state !== 'idle' && navigation.formAction === '/logout';
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new user (a new session) gets a new socket
  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ withCredentials: true });
    socket.on('session:revoked', () => {
      socket.close();
      if (loggingOut.current) return;
      const here = window.location.pathname + window.location.search;
      window.location.assign(`/login?signedOut=1&redirectTo=${encodeURIComponent(here)}`);
    });
    return () => {
      socket.close();
    };
  }, [userId]);
  return null;
}
