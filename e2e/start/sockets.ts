// Which TCP ports a process tree listens on, and on which addresses, read from /proc
// (no ss/netstat needed): the tree's socket inodes matched against /proc/net/tcp{,6}.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** `pid` and every descendant of it (scanned from /proc/<pid>/stat). */
export function processTree(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parentOf) if (parent === tree[i]) tree.push(child);
  return tree;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

export interface Listener {
  address: string;
  port: number;
  loopback: boolean;
}

function decode(hex: string): { address: string; loopback: boolean } {
  if (hex.length === 8) {
    const bytes = hex.match(/../g)!.map((b) => parseInt(b, 16)).reverse();
    return { address: bytes.join('.'), loopback: bytes[0] === 127 };
  }
  // IPv6: four little-endian 32-bit words.
  const words = hex.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
  const full = words.join('').toLowerCase();
  const loopback = full === '00000000000000000000000000000001' || /^00000000000000000000ffff7f/.test(full);
  return { address: full.match(/.{4}/g)!.join(':'), loopback };
}

/** Every listening TCP socket held by the processes. */
export function listeners(pids: number[]): Listener[] {
  const mine = new Set(pids.flatMap((p) => [...socketInodes(p)]));
  const out: Listener[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [local, state, inode] = [cols[1]!, cols[3]!, cols[9]!];
      if (state !== '0A' || !mine.has(inode)) continue; // 0A = LISTEN
      const [hex, port] = local.split(':') as [string, string];
      out.push({ ...decode(hex), port: parseInt(port, 16) });
    }
  }
  return out;
}
