/**
 * The accept queue of the game-server's and event-stream's listening sockets. Node's
 * default is 511; when more clients than that connect at once (thousands of players at a
 * start burst or after a redeploy), the kernel drops the rest and their connections fail
 * with resets and long SYN retries. The kernel caps the figure at net.core.somaxconn.
 */
export const LISTEN_BACKLOG = 4096;
