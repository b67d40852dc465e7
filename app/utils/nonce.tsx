import { createContext, useContext } from 'react';

const NonceContext = createContext<string>('');
export const NonceProvider = NonceContext.Provider;
/** The CSP nonce of this response (empty on the browser, where scripts are already trusted). */
export const useNonce = () => useContext(NonceContext);
