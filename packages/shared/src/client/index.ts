// Typed event-stream client (connect, subscribe with sinceSeq resume, reconnect, resync).
export {};
