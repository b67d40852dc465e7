/** The server's clock, injected so tests can pin time. The server's time decides (art. 20). */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
