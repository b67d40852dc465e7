/**
 * The one rule of a due password change (ADR 028), pure so the server's page gate and the root
 * loader read the same list: a person whose admin-set initial password is still his may reach
 * the change page, sign out and switch the language; everything else leads to the change page.
 */
export const CHANGE_PASSWORD_PATH = '/account/password';
// `/__manifest`: Remix's route discovery, which the change page's own navigation needs.
const OPEN_WHILE_CHANGE_DUE = new Set([CHANGE_PASSWORD_PATH, '/logout', '/language', '/__manifest']);

/** True for the paths still open (a `.data` request or a trailing slash counts as its page). */
export const openWhileChangeDue = (path: string) =>
  OPEN_WHILE_CHANGE_DUE.has(path.replace(/\.data$/, '').replace(/(.)\/$/, '$1'));
