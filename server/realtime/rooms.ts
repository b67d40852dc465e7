/** The room of an auction's watchers: every process's sockets in it get the auction's events. */
export const AUCTION_PREFIX = 'auction:';
export const auctionRoom = (listingId: string) => `${AUCTION_PREFIX}${listingId}`;
