import { useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import type { PageSocket } from '../utils/socket';

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
    // Socket.IO's client is fetched here, not with every page's scripts: a page that needs it
    // at once (the live auction) loads it itself (ADR 034).
    let closed = false;
    let socket: PageSocket | null = null;
    void import('../utils/socket').then(({ openSocket }) => {
      if (closed) return;
      const s = openSocket();
      socket = s;
      s.on('session:revoked', () => {
        s.close();
        if (loggingOut.current) return;
        const here = window.location.pathname + window.location.search;
        window.location.assign(`/login?signedOut=1&redirectTo=${encodeURIComponent(here)}`);
      });
    });
    return () => {
      closed = true;
      socket?.close();
    };
  }, [userId]);
  return null;
}
