import type { Bus } from '../bus/index.js';
import { perTick } from '../bus/per-tick.js';

/** A signed-in socket, as sign-outs see it. */
export interface SignedInSocket {
  readonly playerId: string | null;
  readonly tokenVersion: number;
  /** Its token was signed out: tell the client and close (1008), which ends its presence. */
  signedOut(): void;
}

/** Floors read per MGET when re-checking every socket. */
const RECHECK_CHUNK = 1000;
/** Sign-outs remembered from announcements (the most recent): a socket opening around one is caught without a read. */
const KNOWN_MAX = 10_000;

/**
 * Ends the presence of signed-out tokens on this replica. The event-stream has no
 * database; the game-server announces each sign-out on the bus (with the token version
 * the player's tokens must now have) and keeps it there for the longest token lifetime:
 *
 * - announced: every socket of that player opened with an older token is closed at once;
 * - a socket opening with an older token is refused (one floor read per tick of upgrades);
 * - after the bus reconnects (announcements may have been missed meanwhile), every
 *   signed-in socket is checked against the floors again.
 *
 * A floor read that fails lets the socket in (Redis is down: nothing works for it until
 * the bus is back, and then the re-check runs).
 */
export class SignOuts {
  private readonly byPlayer = new Map<string, Set<SignedInSocket>>();
  /** player → floor, from announcements. */
  private readonly known = new Map<string, number>();
  private readonly offs: (() => unknown)[] = [];
  private readonly floorOf = perTick<string, number | undefined>(async (ids) => {
    const floors = await this.bus.tokenFloors([...new Set(ids)]);
    return ids.map((id) => floors.get(id));
  });

  constructor(
    private readonly bus: Bus,
    private readonly log: { warn(o: object, m?: string): void },
  ) {}

  async start(): Promise<void> {
    try {
      this.offs.push(await this.bus.onSignOut((playerId, version) => this.announced(playerId, version)));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'sign-out channel unavailable; relying on the re-check after reconnect');
    }
    this.offs.push(this.bus.onResubscribe(() => void this.recheck()));
  }

  /** True when this token version of the player was signed out. */
  async refused(playerId: string, tokenVersion: number): Promise<boolean> {
    if (tokenVersion < (this.known.get(playerId) ?? 0)) return true;
    try {
      const floor = await this.floorOf(playerId);
      return floor !== undefined && tokenVersion < floor;
    } catch {
      return false;
    }
  }

  add(socket: SignedInSocket): void {
    if (socket.playerId === null) return;
    // Announced between its floor read and now: it never joins.
    if (socket.tokenVersion < (this.known.get(socket.playerId) ?? 0)) return socket.signedOut();
    let set = this.byPlayer.get(socket.playerId);
    if (!set) this.byPlayer.set(socket.playerId, (set = new Set()));
    set.add(socket);
  }

  remove(socket: SignedInSocket): void {
    if (socket.playerId === null) return;
    const set = this.byPlayer.get(socket.playerId);
    if (set?.delete(socket) && set.size === 0) this.byPlayer.delete(socket.playerId);
  }

  close(): void {
    for (const off of this.offs.splice(0)) void off();
  }

  private announced(playerId: string, floor: number): void {
    this.known.delete(playerId);
    this.known.set(playerId, floor);
    if (this.known.size > KNOWN_MAX) this.known.delete(this.known.keys().next().value!);
    this.apply(playerId, floor);
  }

  private apply(playerId: string, floor: number): void {
    for (const s of [...(this.byPlayer.get(playerId) ?? [])]) if (s.tokenVersion < floor) s.signedOut();
  }

  private async recheck(): Promise<void> {
    const ids = [...this.byPlayer.keys()];
    try {
      for (let i = 0; i < ids.length; i += RECHECK_CHUNK) {
        for (const [id, floor] of await this.bus.tokenFloors(ids.slice(i, i + RECHECK_CHUNK))) this.apply(id, floor);
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'sign-out re-check failed');
    }
  }
}
