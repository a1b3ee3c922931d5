// LiveFeed over a browser WebSocket speaking the shared ClientMessage/ServerMessage
// contract: subscribe with sinceSeq (resume), reconnect with jittered exponential backoff,
// resubscribe every topic after a reconnect, and surface resync/presence.
import type { ServerMessage } from '@monkeytown/shared/schemas';
import type { ConnectionState } from '../components/ConnectionIndicator';
import type { LiveFeed, TopicHandlers } from './live-types';

const BACKOFF_MIN = 250;
const BACKOFF_MAX = 5000;

export function createLiveFeed(url: string, token: string | null): LiveFeed {
  const topics = new Map<string, Set<TopicHandlers>>();
  const listeners = new Set<(s: ConnectionState, attempt: number) => void>();
  let ws: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of listeners) l(state, attempt);
  };
  const send = (msg: unknown) => {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  };
  const sendSubscribe = (topic: string) => {
    // The smallest seq any follower of this topic holds: everyone gets what they missed.
    let since: number | undefined;
    for (const h of topics.get(topic) ?? []) {
      const s = h.sinceSeq?.();
      if (s !== undefined) since = since === undefined ? s : Math.min(since, s);
    }
    send(since === undefined ? { type: 'subscribe', topic } : { type: 'subscribe', topic, sinceSeq: since });
  };

  const onMessage = (raw: string) => {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(raw) as ServerMessage;
    } catch {
      return;
    }
    switch (msg.type) {
      case 'event':
        for (const h of topics.get(msg.topic) ?? []) h.onEvent(msg);
        break;
      case 'resync':
        for (const h of topics.get(msg.topic) ?? []) h.onResync?.();
        break;
      case 'presence':
        for (const h of topics.get(msg.topic) ?? []) h.onPresence?.(msg.spectators);
        break;
      case 'hello':
        if (heartbeat) clearInterval(heartbeat);
        heartbeat = setInterval(() => send({ type: 'ping' }), Math.max(5000, msg.heartbeatMs / 2));
        break;
      default:
        break;
    }
  };

  const connect = () => {
    if (closed) return;
    const u = new URL(url);
    if (token) u.searchParams.set('token', token);
    const sock = new WebSocket(u.toString());
    ws = sock;
    sock.onopen = () => {
      attempt = 0;
      setState('open');
      for (const t of topics.keys()) sendSubscribe(t);
    };
    sock.onmessage = (e) => onMessage(String(e.data));
    sock.onclose = () => {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      if (ws !== sock || closed) return;
      ws = null;
      attempt += 1;
      setState('reconnecting');
      const delay = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      timer = setTimeout(connect, delay);
    };
  };
  connect();

  return {
    get state() {
      return state;
    },
    get attempt() {
      return attempt;
    },
    onStateChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    subscribe(topic, handlers) {
      let set = topics.get(topic);
      const first = !set;
      if (!set) topics.set(topic, (set = new Set()));
      set.add(handlers);
      if (first) sendSubscribe(topic);
      return () => {
        set.delete(handlers);
        if (set.size === 0) {
          topics.delete(topic);
          send({ type: 'unsubscribe', topic });
        }
      };
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (heartbeat) clearInterval(heartbeat);
      ws?.close(1000);
      ws = null;
      setState('closed');
    },
  };
}
