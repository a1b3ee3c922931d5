// A UCI client for Debian's `stockfish` binary, the external ruler for chess strength.
// Measuring only: spawned by bench/ai/calibrate.ts, never imported by product code.
// One process per strength level, 1 thread, 16 MB hash; UCI_LimitStrength + UCI_Elo.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const STOCKFISH_PATHS = ['/usr/games/stockfish', '/usr/bin/stockfish'];

export function findStockfish(): string {
  const found = [process.env.STOCKFISH, ...STOCKFISH_PATHS].find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('stockfish not found: apt-get install -y stockfish (or set STOCKFISH=/path)');
  return found;
}

/**
 * The depth at which Stockfish 15.1's strength handicap picks its move for a UCI_Elo:
 * `Skill(uci_elo)` sets level = ((elo − 1346.6) / 143.4)^(1 / 0.806) (0..20), turns on
 * MultiPV 4, and picks a (noisy, weakened) move among those lines once iterative deepening
 * completes depth 1 + ⌊level⌋; later iterations never change that choice. Searching to
 * exactly that depth makes the same choice any longer time control would (120 s + 1 s, the
 * scale's calibration, always reaches it) at a fraction of the time, and no CPU load on
 * this shared box can weaken the ruler.
 */
export function pickDepth(elo: number): number {
  const level = Math.min(20, Math.max(0, Math.pow(Math.max(0, elo - 1346.6) / 143.4, 1 / 0.806)));
  return 1 + Math.floor(level);
}

export class Stockfish {
  private readonly proc: ChildProcessWithoutNullStreams;
  private waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  version = '';

  private constructor(path: string) {
    this.proc = spawn(path, [], { stdio: 'pipe' });
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      if (line.startsWith('id name ')) this.version = line.slice(8);
      const i = this.waiters.findIndex((w) => w.test(line));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(line);
    });
  }

  /** A Stockfish playing at `elo` on its UCI_Elo scale (1350..2850 in 15.1). */
  static async start(elo: number, path = findStockfish()): Promise<Stockfish> {
    const sf = new Stockfish(path);
    sf.send('uci');
    await sf.until((l) => l === 'uciok');
    sf.send('setoption name Threads value 1');
    sf.send('setoption name Hash value 16');
    sf.send('setoption name UCI_LimitStrength value true');
    sf.send(`setoption name UCI_Elo value ${elo}`);
    sf.send('isready');
    await sf.until((l) => l === 'readyok');
    return sf;
  }

  private send(cmd: string) {
    this.proc.stdin.write(`${cmd}\n`);
  }

  private until(test: (line: string) => boolean): Promise<string> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  async newGame(): Promise<void> {
    this.send('ucinewgame');
    this.send('isready');
    await this.until((l) => l === 'readyok');
  }

  /**
   * The move (UCI) for the position after `moves` from the start: searched to `limit.depth`
   * (see pickDepth) or for `limit.ms` of wall time.
   */
  async bestMove(moves: readonly string[], limit: { depth: number } | { ms: number }): Promise<string> {
    this.send(`position startpos${moves.length ? ` moves ${moves.join(' ')}` : ''}`);
    this.send('depth' in limit ? `go depth ${limit.depth}` : `go movetime ${limit.ms}`);
    const line = await this.until((l) => l.startsWith('bestmove'));
    return line.split(/\s+/)[1]!;
  }

  quit(): void {
    this.send('quit');
    this.proc.stdin.end();
  }
}
